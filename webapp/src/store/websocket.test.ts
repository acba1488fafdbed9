import {Client4} from 'mattermost-redux/client';

import {FakeServer} from '../testing/fetch';
import {teamReport} from '../testing/fixtures';
import {makePluginStore} from '../testing/store';

import {initSidebar, openReport} from './actions';
import {getPluginState} from './selectors';
import {parseReportChanged, reconnectHandler, REPORT_CHANGED_EVENT, reportChangedHandler} from './websocket';

const base = '/plugins/com.mattermost.responsible-disclosure/api/v1';

// Lets the promises a handler started (it does not return them) settle.
async function settle() {
    for (let i = 0; i < 10; i++) {
        await Promise.resolve();
        await new Promise((resolve) => {
            setTimeout(resolve, 0);
        });
    }
}

describe('websocket', () => {
    let server: FakeServer;

    beforeEach(() => {
        Client4.setUrl('http://mm.test');
        server = new FakeServer();
        server.on('POST', '/api/v4/users/ids', {json: []});
        server.install();
    });

    it('listens to the event the server publishes for the plugin', () => {
        expect(REPORT_CHANGED_EVENT).toBe('custom_com.mattermost.responsible-disclosure_report_changed');
    });

    it.each([
        ['the documented shape', {report_id: 3, status: 'triaging', version: 4}, {report_id: 3, status: 'triaging', version: 4}],
        ['no data', null, null],
        ['a string id', {report_id: '3', status: 'triaging', version: 4}, null],
        ['no version', {report_id: 3, status: 'triaging'}, null],
        ['id zero', {report_id: 0, status: 'triaging', version: 1}, null],
    ])('parses %s', (_name, data, want) => {
        expect(parseReportChanged(data)).toEqual(want);
    });

    it('refetches the queue when a new report arrives, and shows it', async () => {
        server.on('GET', base + '/reports/queue', {json: {reports: [teamReport({id: 1})], next_cursor: 0}});
        const store = makePluginStore();
        await store.dispatch(initSidebar());
        server.on('GET', base + '/reports/queue', {json: {reports: [teamReport({id: 1}), teamReport({id: 2})], next_cursor: 0}});

        reportChangedHandler(store)({event: REPORT_CHANGED_EVENT, data: {report_id: 2, status: 'submitted', version: 1}});
        await settle();

        expect(getPluginState(store.getState()).queue.reports.map((r) => r.key)).toEqual(['SEC-1', 'SEC-2']);
    });

    it('ignores a malformed event', async () => {
        const store = makePluginStore({plugin: {role: 'triager'}});
        reportChangedHandler(store)({event: REPORT_CHANGED_EVENT, data: {report_id: 'x'}});
        await settle();

        expect(server.calls).toHaveLength(0);
    });

    it('reloads everything shown after a reconnect', async () => {
        server.on('GET', base + '/reports/queue', {json: {reports: [teamReport({id: 1})], next_cursor: 0}});
        server.on('GET', base + '/reports/1', {json: teamReport({id: 1})});
        const store = makePluginStore();
        await store.dispatch(initSidebar());
        await store.dispatch(openReport(1));
        server.calls.length = 0;

        reconnectHandler(store)();
        await settle();

        expect(server.callsTo('GET', base + '/reports/queue')).toHaveLength(1);
        expect(server.callsTo('GET', base + '/reports/1')).toHaveLength(1);
    });
});
