import {Client4} from 'mattermost-redux/client';

// The bundle carries its own copy of mattermost-redux, so its Client4 is not
// the instance the host configured. Point it at the server the page was loaded
// from, including the subpath Mattermost may be served under; authentication
// rides on the session cookie and Client4 adds the CSRF header from the
// MMCSRF cookie itself.
export function siteURLFromLocation(location: Pick<Location, 'origin'>, basename = ''): string {
    return (location.origin + basename).replace(/\/+$/, '');
}

export function configureClient(win: Pick<Window, 'location' | 'basename'> = window): void {
    Client4.setUrl(siteURLFromLocation(win.location, win.basename));
}
