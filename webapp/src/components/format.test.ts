import {age, fullDate, relativeTime} from './format';

const now = Date.parse('2026-01-13T10:00:00Z');

describe('age', () => {
    it.each([
        ['2026-01-13T09:59:40Z', '<1m'],
        ['2026-01-13T09:15:00Z', '45m'],
        ['2026-01-13T05:00:00Z', '5h'],
        ['2026-01-11T12:00:00Z', '46h'],
        ['2026-01-10T10:00:00Z', '3d'],
        ['2025-11-25T10:00:00Z', '7w'],
        ['2026-01-13T10:05:00Z', '<1m'],
        ['not a date', ''],
    ])('of a report filed %s is %s', (created, want) => {
        expect(age(created, now)).toBe(want);
    });
});

describe('relativeTime', () => {
    it.each([
        ['2026-01-13T09:59:50Z', 'just now'],
        ['2026-01-13T09:58:00Z', '2 minutes ago'],
        ['2026-01-13T07:00:00Z', '3 hours ago'],
        ['2026-01-12T10:00:00Z', 'yesterday'],
        ['2026-01-01T10:00:00Z', 'last week'],
        ['garbage', ''],
    ])('says %s as %s', (iso, want) => {
        expect(relativeTime(iso, now)).toBe(want);
    });
});

describe('fullDate', () => {
    it('says the date and time, or nothing for a bad date', () => {
        expect(fullDate('2026-01-13T10:00:00Z')).toMatch(/Jan 13, 2026/);
        expect(fullDate('nope')).toBe('');
    });
});
