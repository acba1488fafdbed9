import {Client4} from 'mattermost-redux/client';

// The web client's router, when the page has one: the host exposes it to
// plugins as window.WebappUtils.browserHistory.
interface BrowserHistory {
    push(path: string): void;
}

function history(): BrowserHistory | undefined {
    return (window as unknown as {WebappUtils?: {browserHistory?: BrowserHistory}}).WebappUtils?.browserHistory;
}

// The path of a post's permalink; the web client finds the team itself.
export function permalinkPath(postId: string): string {
    return `/_redirect/pl/${postId}`;
}

export function permalinkUrl(postId: string): string {
    return Client4.getUrl() + permalinkPath(postId);
}

// followInApp opens an in-app link with the web client's router instead of
// reloading the page; without a router the link is followed as usual.
export function followInApp(event: {preventDefault(): void; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; button: number}, path: string): void {
    const h = history();
    if (!h || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) {
        return;
    }
    event.preventDefault();
    h.push(path);
}
