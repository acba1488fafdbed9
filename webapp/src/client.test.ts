import {Client4} from 'mattermost-redux/client';

import {configureClient, siteURLFromLocation} from './client';

describe('siteURLFromLocation', () => {
    it.each([
        ['served at the root', 'https://chat.example.com', undefined, 'https://chat.example.com'],
        ['served at the root, empty basename', 'https://chat.example.com', '', 'https://chat.example.com'],
        ['served under a subpath', 'https://example.com', '/chat', 'https://example.com/chat'],
        ['subpath with a trailing slash', 'https://example.com', '/chat/', 'https://example.com/chat'],
        ['basename of only a slash', 'http://localhost:8065', '/', 'http://localhost:8065'],
    ])('%s', (_name, origin, basename, want) => {
        expect(siteURLFromLocation({origin}, basename)).toBe(want);
    });
});

describe('configureClient', () => {
    afterEach(() => {
        Client4.setUrl('');
    });

    it('sends the bundle\'s API calls to the server and subpath the page came from', () => {
        configureClient({location: {origin: 'https://example.com'} as Location, basename: '/chat'});

        expect(Client4.getCommandsRoute()).toBe('https://example.com/chat/api/v4/commands');
    });

    it('defaults to the current window', () => {
        configureClient();

        expect(Client4.getUrl()).toBe(window.location.origin);
    });
});
