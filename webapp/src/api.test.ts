import {Client4} from 'mattermost-redux/client';

import {ApiError, fetchMine, fetchQueue, fetchReport, fetchUserByUsername, fetchUsersByIds, postAction} from './api';
import {FakeServer} from './testing/fetch';
import {teamReport} from './testing/fixtures';

const base = '/plugins/com.mattermost.responsible-disclosure/api/v1';

function setCookie(value: string) {
    document.cookie = value;
}

describe('API client', () => {
    let server: FakeServer;

    beforeEach(() => {
        Client4.setUrl('http://chat.example.com');
        setCookie('MMCSRF=csrf-token-1');
        server = new FakeServer();
        server.install();
    });

    afterEach(() => {
        Client4.setUrl('');
        setCookie('MMCSRF=; expires=Thu, 01 Jan 1970 00:00:00 GMT');
    });

    it('reads my reports with the cursor and page size, sending the session cookie and no CSRF token on GET', async () => {
        server.on('GET', base + '/reports/mine', {json: {reports: [], next_cursor: 0}});

        await expect(fetchMine(12, 20)).resolves.toEqual({reports: [], next_cursor: 0});

        expect(server.calls).toHaveLength(1);
        const call = server.calls[0];
        expect(call.url).toBe(`http://chat.example.com${base}/reports/mine?cursor=12&limit=20`);
        expect(call.credentials).toBe('include');
        expect(call.headers['X-Requested-With']).toBe('XMLHttpRequest');
        expect(call.headers['X-CSRF-Token']).toBeUndefined();
    });

    it('leaves the first page\'s cursor out of the URL', async () => {
        server.on('GET', base + '/reports/mine', {json: {reports: [], next_cursor: 0}});

        await fetchMine();

        expect(server.calls[0].url).toBe(`http://chat.example.com${base}/reports/mine?limit=50`);
    });

    it.each([
        ['every open report', {status: '', assignee: 'all', severity: '', order: 'oldest'}, 'order=oldest&limit=50'],
        ['mine', {status: '', assignee: 'me', severity: '', order: 'oldest'}, 'assignee=user-9&order=oldest&limit=50'],
        ['unassigned criticals, newest first', {status: '', assignee: 'none', severity: 'critical', order: 'newest'}, 'assignee=none&severity=critical&order=newest&limit=50'],
        ['one status', {status: 'needs_info', assignee: 'all', severity: '', order: 'oldest'}, 'status=needs_info&order=oldest&limit=50'],
    ] as const)('asks the queue for %s', async (_name, filters, want) => {
        server.on('GET', base + '/reports/queue', {json: {reports: [], next_cursor: 0}});

        await fetchQueue(filters, 'user-9');

        expect(server.calls[0].url).toBe(`http://chat.example.com${base}/reports/queue?${want}`);
    });

    it('passes the next cursor of the queue', async () => {
        server.on('GET', base + '/reports/queue', {json: {reports: [], next_cursor: 0}});

        await fetchQueue({status: '', assignee: 'all', severity: '', order: 'oldest'}, 'u', 41, 10);

        expect(server.calls[0].url).toContain('cursor=41&limit=10');
    });

    it('reads one report', async () => {
        const report = teamReport({id: 3});
        server.on('GET', base + '/reports/3', {json: report});

        await expect(fetchReport(3)).resolves.toEqual(report);
    });

    it('posts an action with the version seen, its input, JSON and the CSRF token from the cookie', async () => {
        const updated = teamReport({id: 3, status: 'needs_info', version: 5});
        server.on('POST', base + '/reports/3/actions/ask', {json: updated});

        await expect(postAction(3, 'ask', 4, {note: 'Which browser?'})).resolves.toEqual(updated);

        const call = server.calls[0];
        expect(call.method).toBe('POST');
        expect(call.headers['X-CSRF-Token']).toBe('csrf-token-1');
        expect(call.headers['Content-Type']).toBe('application/json');
        expect(call.credentials).toBe('include');
        expect(call.body).toEqual({version: 4, note: 'Which browser?'});
    });

    it('types a conflict and carries the report as it is now', async () => {
        const current = teamReport({id: 3, status: 'triaging', status_label: 'Triaging', version: 6});
        server.on('POST', base + '/reports/3/actions/take', {status: 409, json: {error: 'conflict', message: 'SEC-3 changed.', current}});

        const err = await postAction(3, 'take', 4).catch((e: unknown) => e);

        expect(err).toBeInstanceOf(ApiError);
        expect(err).toMatchObject({status: 409, code: 'conflict', message: 'SEC-3 changed.', current});
    });

    it('types an invalid input with the field it names', async () => {
        server.on('POST', base + '/reports/3/actions/fix', {status: 400, json: {error: 'invalid_input', message: 'Give a version like 11.5.1.', field: 'fixed_in'}});

        await expect(postAction(3, 'fix', 2, {fixed_in: 'soon'})).rejects.toMatchObject({code: 'invalid_input', field: 'fixed_in', message: 'Give a version like 11.5.1.'});
    });

    it.each([
        ['refused', 409, {error: 'refused', message: 'A triager cannot take SEC-3 now.'}, 'refused'],
        ['forbidden', 403, {error: 'forbidden', message: 'Only the security team can do that.'}, 'forbidden'],
        ['not found', 404, {error: 'not_found', message: 'No such report.'}, 'not_found'],
        ['busy', 503, {error: 'busy', message: 'Try again.'}, 'busy'],
        ['internal', 500, {error: 'internal', message: 'Something went wrong; nothing was saved.'}, 'internal'],
        ['not logged in', 401, {error: 'not_authenticated', message: 'Log in to Mattermost first.'}, 'not_authenticated'],
    ])('types %s', async (_name, status, json, code) => {
        server.on('GET', base + '/reports/3', {status, json});

        await expect(fetchReport(3)).rejects.toMatchObject({status, code, message: json.message});
    });

    it('types an error page that is not the plugin\'s JSON by its status', async () => {
        server.on('GET', base + '/reports/3', {status: 502, text: '<html>Bad gateway</html>'});

        await expect(fetchReport(3)).rejects.toMatchObject({status: 502, code: 'internal', message: 'The server answered 502.'});
    });

    it('types an unreachable server as a network error', async () => {
        server.on('GET', base + '/reports/mine', {networkError: true});

        await expect(fetchMine()).rejects.toMatchObject({status: 0, code: 'network'});
    });

    it('refuses a success that is not JSON', async () => {
        server.on('GET', base + '/reports/mine', {text: '<html>login</html>'});

        await expect(fetchMine()).rejects.toMatchObject({code: 'unexpected'});
    });

    it('follows the subpath Mattermost is served under', async () => {
        Client4.setUrl('https://example.com/chat');
        server.on('GET', '/chat' + base + '/reports/mine', {json: {reports: [], next_cursor: 0}});

        await fetchMine();

        expect(server.calls[0].url).toBe(`https://example.com/chat${base}/reports/mine?limit=50`);
    });

    it('looks users up by ids and by username through the server\'s API', async () => {
        server.on('POST', '/api/v4/users/ids', {json: [{id: 'u1', username: 'alice', email: 'a@example.com'}]});
        server.on('GET', '/api/v4/users/username/bob', {json: {id: 'u2', username: 'bob'}});

        await expect(fetchUsersByIds(['u1'])).resolves.toEqual([{id: 'u1', username: 'alice'}]);
        await expect(fetchUserByUsername('bob')).resolves.toEqual({id: 'u2', username: 'bob'});

        expect(server.calls[0].body).toEqual(['u1']);
        expect(server.calls[0].headers['X-CSRF-Token']).toBe('csrf-token-1');
    });
});
