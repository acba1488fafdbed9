// Dates as the sidebar shows them. The server sends RFC 3339 times.

const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 365 * 24 * 3600],
    ['month', 30 * 24 * 3600],
    ['week', 7 * 24 * 3600],
    ['day', 24 * 3600],
    ['hour', 3600],
    ['minute', 60],
];

// "3 hours ago", "yesterday", "just now".
export function relativeTime(iso: string, now: number = Date.now()): string {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) {
        return '';
    }
    const seconds = Math.round((t - now) / 1000);
    const rtf = new Intl.RelativeTimeFormat('en', {numeric: 'auto'});
    for (const [unit, size] of units) {
        if (Math.abs(seconds) >= size) {
            return rtf.format(Math.trunc(seconds / size), unit);
        }
    }
    return 'just now';
}

// A report's age in the queue, short: "<1m", "45m", "5h", "3d", "6w".
export function age(iso: string, now: number = Date.now()): string {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) {
        return '';
    }
    const minutes = Math.max(0, Math.floor((now - t) / 60000));
    if (minutes < 1) {
        return '<1m';
    }
    if (minutes < 60) {
        return `${String(minutes)}m`;
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 48) {
        return `${String(hours)}h`;
    }
    const days = Math.floor(hours / 24);
    if (days < 28) {
        return `${String(days)}d`;
    }
    return `${String(Math.floor(days / 7))}w`;
}

// The full date and time, for tooltips and the detail.
export function fullDate(iso: string): string {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) {
        return '';
    }
    return new Date(t).toLocaleString('en', {dateStyle: 'medium', timeStyle: 'short'});
}
