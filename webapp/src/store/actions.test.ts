import {Client4} from 'mattermost-redux/client';

import {FakeServer} from '../testing/fetch';
import {teamReport} from '../testing/fixtures';
import {makePluginStore} from '../testing/store';

import {changeFilters, initSidebar, loadQueue, openReport, performAction, reportChanged, selectTab} from './actions';
import {getPluginState} from './selectors';

const base = '/plugins/com.mattermost.responsible-disclosure/api/v1';
const page = (...reports: ReturnType<typeof teamReport>[]) => ({json: {reports, next_cursor: 0}});

describe('thunks', () => {
    let server: FakeServer;

    beforeEach(() => {
        Client4.setUrl('http://mm.test');
        server = new FakeServer();
        server.on('POST', '/api/v4/users/ids', {json: []});
        server.install();
    });

    afterEach(() => {
        Client4.setUrl('');
    });

    describe('initSidebar', () => {
        it('makes a member of the security team a triager and loads the queue', async () => {
            server.on('GET', base + '/reports/queue', page(teamReport({id: 1})));
            const store = makePluginStore();

            await store.dispatch(initSidebar());

            const s = getPluginState(store.getState());
            expect(s.role).toBe('triager');
            expect(s.tab).toBe('queue');
            expect(s.queue.reports.map((r) => r.key)).toEqual(['SEC-1']);
            expect(server.callsTo('GET', base + '/reports/mine')).toHaveLength(0);
        });

        it('makes anyone the queue refuses a researcher and loads their reports', async () => {
            server.on('GET', base + '/reports/queue', {status: 403, json: {error: 'forbidden', message: 'Only the security team can do that.'}});
            server.on('GET', base + '/reports/mine', page(teamReport({id: 2})));
            const store = makePluginStore();

            await store.dispatch(initSidebar());

            const s = getPluginState(store.getState());
            expect(s.role).toBe('researcher');
            expect(s.tab).toBe('mine');
            expect(s.queue.status).toBe('idle');
            expect(s.mine.reports.map((r) => r.key)).toEqual(['SEC-2']);
        });

        it('reloads quietly when the sidebar opens again', async () => {
            server.on('GET', base + '/reports/queue', page(teamReport({id: 1})));
            const store = makePluginStore();
            await store.dispatch(initSidebar());
            server.on('GET', base + '/reports/queue', page(teamReport({id: 1}), teamReport({id: 2})));

            await store.dispatch(initSidebar());

            const s = getPluginState(store.getState());
            expect(server.callsTo('GET', base + '/reports/queue')).toHaveLength(2);
            expect(s.queue.reports.map((r) => r.id)).toEqual([1, 2]);
            expect(s.queue.status).toBe('loaded');
        });

        it('leaves the role unknown and says why when the server fails', async () => {
            server.on('GET', base + '/reports/queue', {networkError: true});
            const store = makePluginStore();

            await store.dispatch(initSidebar());

            const s = getPluginState(store.getState());
            expect(s.role).toBe('unknown');
            expect(s.queue.status).toBe('error');
            expect(s.queue.error).toMatch(/could not be reached/);
        });

        it('fetches the usernames the rows show, once', async () => {
            server.on('GET', base + '/reports/queue', page(teamReport({id: 1, reporter_id: 'r1', assignee_id: 'a1', timeline: []})));
            server.on('POST', '/api/v4/users/ids', {json: [{id: 'a1', username: 'alice'}, {id: 'r1', username: 'rita'}]});
            const store = makePluginStore();

            await store.dispatch(initSidebar());
            await store.dispatch(loadQueue('refresh'));

            expect(server.callsTo('POST', '/api/v4/users/ids')).toHaveLength(1);
            expect(server.calls.find((c) => c.path === '/api/v4/users/ids')?.body).toEqual(['a1', 'r1']);
            expect(getPluginState(store.getState()).users).toEqual({a1: 'alice', r1: 'rita'});
        });
    });

    it('reloads the queue with new filters', async () => {
        server.on('GET', base + '/reports/queue', page());
        const store = makePluginStore({userId: 'me-1', plugin: {role: 'triager'}});

        await store.dispatch(changeFilters({status: '', assignee: 'me', severity: 'critical', order: 'newest'}));

        expect(server.calls[0].url).toContain('assignee=me-1&severity=critical&order=newest');
        expect(getPluginState(store.getState()).filters.assignee).toBe('me');
    });

    it('loads a tab the first time it is shown', async () => {
        server.on('GET', base + '/reports/mine', page());
        const store = makePluginStore({plugin: {role: 'triager'}});

        await store.dispatch(selectTab('mine'));
        await store.dispatch(selectTab('mine'));

        expect(server.callsTo('GET', base + '/reports/mine')).toHaveLength(1);
    });

    describe('reportChanged', () => {
        async function loadedStore() {
            server.on('GET', base + '/reports/queue', page(teamReport({id: 1, version: 3})));
            server.on('GET', base + '/reports/1', {json: teamReport({id: 1, version: 3})});
            const store = makePluginStore();
            await store.dispatch(initSidebar());
            await store.dispatch(openReport(1));
            server.calls.length = 0;
            return store;
        }

        it('reloads the queue for a report it does not show yet (a new one)', async () => {
            const store = await loadedStore();

            await store.dispatch(reportChanged({report_id: 9, status: 'submitted', version: 1}));

            expect(server.callsTo('GET', base + '/reports/queue')).toHaveLength(1);
            expect(server.callsTo('GET', base + '/reports/1')).toHaveLength(0);
        });

        it('reloads the queue and the open report when it changed', async () => {
            const store = await loadedStore();
            server.on('GET', base + '/reports/1', {json: teamReport({id: 1, version: 4, status: 'triaging', status_label: 'Triaging'})});

            await store.dispatch(reportChanged({report_id: 1, status: 'triaging', version: 4}));

            expect(server.callsTo('GET', base + '/reports/queue')).toHaveLength(1);
            expect(server.callsTo('GET', base + '/reports/1')).toHaveLength(1);
            expect(getPluginState(store.getState()).detail.report?.status).toBe('triaging');
        });

        it('does nothing for a version it already shows (the user\'s own action)', async () => {
            const store = await loadedStore();

            await store.dispatch(reportChanged({report_id: 1, status: 'submitted', version: 3}));

            expect(server.calls).toHaveLength(0);
        });

        it('does nothing before the sidebar was opened', async () => {
            const store = makePluginStore();

            await store.dispatch(reportChanged({report_id: 1, status: 'submitted', version: 1}));

            expect(server.calls).toHaveLength(0);
        });
    });

    describe('performAction', () => {
        async function openStore(report = teamReport({id: 5, version: 2})) {
            server.on('GET', base + '/reports/queue', page(report));
            server.on('GET', base + '/reports/5', {json: report});
            const store = makePluginStore({userId: 'me-1'});
            await store.dispatch(initSidebar());
            await store.dispatch(openReport(5));
            server.calls.length = 0;
            return store;
        }

        it('acts with the version seen, shows the new state and says so', async () => {
            const store = await openStore();
            const taken = teamReport({id: 5, version: 3, status: 'triaging', status_label: 'Triaging', assignee_id: 'me-1'});
            server.on('POST', base + '/reports/5/actions/take', {json: taken});

            await expect(store.dispatch(performAction('take'))).resolves.toBe(true);

            expect(server.callsTo('POST', base + '/reports/5/actions/take')[0].body).toEqual({version: 2});
            const s = getPluginState(store.getState());
            expect(s.detail.report).toEqual(taken);
            expect(s.action).toEqual({pending: null, error: null, notice: 'You took SEC-5.'});
            expect(server.callsTo('GET', base + '/reports/queue')).toHaveLength(1);
        });

        it('shows the current report and a clear sentence on a conflict', async () => {
            const store = await openStore();
            const current = teamReport({id: 5, version: 4, status: 'triaging', status_label: 'Triaging', assignee_id: 'other'});
            server.on('POST', base + '/reports/5/actions/take', {status: 409, json: {error: 'conflict', message: 'changed', current}});

            await expect(store.dispatch(performAction('take'))).resolves.toBe(false);

            const s = getPluginState(store.getState());
            expect(s.detail.report).toEqual(current);
            expect(s.queue.reports[0].version).toBe(4);
            expect(s.action.error).toEqual({code: 'conflict', message: 'SEC-5 changed while you were looking at it: it is now Triaging. Check it again before acting.'});
        });

        it('keeps the field of an invalid input', async () => {
            const store = await openStore();
            server.on('POST', base + '/reports/5/actions/ask', {status: 400, json: {error: 'invalid_input', field: 'note', message: 'Say what you need to know.'}});

            await store.dispatch(performAction('ask', {note: ' '}));

            expect(getPluginState(store.getState()).action.error).toEqual({code: 'invalid_input', field: 'note', message: 'Say what you need to know.'});
        });

        it('reassigns by username', async () => {
            const store = await openStore();
            server.on('GET', '/api/v4/users/username/alice', {json: {id: 'alice-id', username: 'alice'}});
            server.on('POST', base + '/reports/5/actions/reassign', {json: teamReport({id: 5, version: 3, assignee_id: 'alice-id'})});

            await expect(store.dispatch(performAction('reassign', {assignee: '@alice'}))).resolves.toBe(true);

            expect(server.callsTo('POST', base + '/reports/5/actions/reassign')[0].body).toEqual({version: 2, assignee: 'alice-id'});
            expect(getPluginState(store.getState()).users['alice-id']).toBe('alice');
        });

        it('names an unknown username as a field error without acting', async () => {
            const store = await openStore();
            server.on('GET', '/api/v4/users/username/nobody', {status: 404, json: {id: 'app.user.missing', message: 'not found', status_code: 404}});

            await expect(store.dispatch(performAction('reassign', {assignee: 'nobody'}))).resolves.toBe(false);

            expect(server.callsTo('POST', base + '/reports/5/actions')).toHaveLength(0);
            expect(getPluginState(store.getState()).action.error).toEqual({code: 'invalid_input', field: 'assignee', message: 'There is no user @nobody.'});
        });
    });
});
