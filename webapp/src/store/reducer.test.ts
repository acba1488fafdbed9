import {teamReport} from '../testing/fixtures';

import reducer, {initialState} from './reducer';
import {ActionTypes} from './types';
import type {PluginAction, PluginState} from './types';

function run(actions: PluginAction[], state: PluginState = initialState): PluginState {
    return actions.reduce(reducer, state);
}

const r1 = teamReport({id: 1});
const r2 = teamReport({id: 2});

describe('reducer', () => {
    it('starts with the role unknown and nothing loaded', () => {
        const s = reducer(undefined, {type: '@@INIT'} as unknown as PluginAction);
        expect(s).toEqual(initialState);
        expect(s.role).toBe('unknown');
        expect(s.queue.status).toBe('idle');
        expect(s.filters).toEqual({status: '', assignee: 'all', severity: '', order: 'oldest'});
    });

    it('shows a researcher their reports first', () => {
        expect(run([{type: ActionTypes.ROLE_DECIDED, role: 'researcher'}]).tab).toBe('mine');
        expect(run([{type: ActionTypes.ROLE_DECIDED, role: 'triager'}]).tab).toBe('queue');
    });

    it('loads a list: loading, then the page and its next cursor', () => {
        const loading = run([{type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 1, mode: 'replace'}]);
        expect(loading.queue.status).toBe('loading');

        const loaded = run([{type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 1, mode: 'replace', reports: [r1], next: 1}], loading);
        expect(loaded.queue).toMatchObject({status: 'loaded', reports: [r1], next: 1, error: null});
        expect(loaded.mine).toBe(initialState.mine);
    });

    it('drops an answer to an older request that arrives late', () => {
        const s = run([
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 1, mode: 'replace'},
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 2, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 2, mode: 'replace', reports: [r2], next: 0},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 1, mode: 'replace', reports: [r1], next: 0},
            {type: ActionTypes.LIST_FAILURE, list: 'queue', seq: 1, mode: 'replace', error: 'late'},
        ]);
        expect(s.queue.reports).toEqual([r2]);
        expect(s.queue.error).toBeNull();
    });

    it('appends the next page without repeating a report', () => {
        const s = run([
            {type: ActionTypes.LIST_REQUEST, list: 'mine', seq: 1, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'mine', seq: 1, mode: 'replace', reports: [r2], next: 2},
            {type: ActionTypes.LIST_REQUEST, list: 'mine', seq: 2, mode: 'append'},
        ]);
        expect(s.mine.loadingMore).toBe(true);
        const after = run([{type: ActionTypes.LIST_SUCCESS, list: 'mine', seq: 2, mode: 'append', reports: [r2, r1], next: 0}], s);
        expect(after.mine.reports.map((r) => r.id)).toEqual([2, 1]);
        expect(after.mine).toMatchObject({next: 0, loadingMore: false, status: 'loaded'});
    });

    it('refreshes quietly: rows stay while it loads and when it fails', () => {
        const loaded = run([
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 1, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 1, mode: 'replace', reports: [r1], next: 0},
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 2, mode: 'refresh'},
        ]);
        expect(loaded.queue).toMatchObject({status: 'loaded', reports: [r1]});
        const failed = run([{type: ActionTypes.LIST_FAILURE, list: 'queue', seq: 2, mode: 'refresh', error: 'offline'}], loaded);
        expect(failed.queue).toMatchObject({status: 'loaded', reports: [r1], error: 'offline'});
    });

    it('keeps a newer report than a refresh brings (an action answered first)', () => {
        const v3 = {...r1, version: 3, status: 'triaging' as const};
        const s = run([
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 1, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 1, mode: 'replace', reports: [r1], next: 0},
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 2, mode: 'refresh'},
            {type: ActionTypes.REPORT_UPDATED, report: v3},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 2, mode: 'refresh', reports: [r1, r2], next: 0},
        ]);
        expect(s.queue.reports).toEqual([v3, r2]);
    });

    it('fails a first load', () => {
        const s = run([
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 1, mode: 'replace'},
            {type: ActionTypes.LIST_FAILURE, list: 'queue', seq: 1, mode: 'replace', error: 'The server could not be reached.'},
        ]);
        expect(s.queue).toMatchObject({status: 'error', error: 'The server could not be reached.', reports: []});
    });

    it('resets a list the user may no longer read', () => {
        const s = run([
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 4, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 4, mode: 'replace', reports: [r1], next: 0},
            {type: ActionTypes.LIST_RESET, list: 'queue'},
        ]);
        expect(s.queue).toMatchObject({status: 'idle', reports: [], seq: 4});
    });

    it('opens a report with what the list knows, then the full report', () => {
        const listed = run([
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 1, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 1, mode: 'replace', reports: [r1], next: 0},
            {type: ActionTypes.REPORT_SELECTED, id: 1},
        ]);
        expect(listed.detail).toMatchObject({id: 1, report: r1, status: 'loading'});

        const full = {...r1, description: 'full text'};
        const s = run([
            {type: ActionTypes.DETAIL_REQUEST, id: 1, seq: 2, quiet: false},
            {type: ActionTypes.DETAIL_SUCCESS, seq: 2, report: full},
        ], listed);
        expect(s.detail).toMatchObject({id: 1, report: full, status: 'loaded'});

        expect(run([{type: ActionTypes.REPORT_SELECTED, id: null}], s).detail).toMatchObject({id: null, report: null});
    });

    it('ignores a detail answer for a report no longer open', () => {
        const s = run([
            {type: ActionTypes.REPORT_SELECTED, id: 1},
            {type: ActionTypes.DETAIL_REQUEST, id: 1, seq: 3, quiet: false},
            {type: ActionTypes.REPORT_SELECTED, id: 2},
            {type: ActionTypes.DETAIL_SUCCESS, seq: 3, report: r1},
        ]);
        expect(s.detail).toMatchObject({id: 2, report: null, status: 'loading'});
    });

    it('applies an updated report everywhere it shows, never going back to an older version', () => {
        const v3 = {...r1, status: 'triaging' as const, status_label: 'Triaging', version: 3};
        const loaded = run([
            {type: ActionTypes.LIST_REQUEST, list: 'queue', seq: 1, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'queue', seq: 1, mode: 'replace', reports: [r1, r2], next: 0},
            {type: ActionTypes.LIST_REQUEST, list: 'mine', seq: 2, mode: 'replace'},
            {type: ActionTypes.LIST_SUCCESS, list: 'mine', seq: 2, mode: 'replace', reports: [r1], next: 0},
            {type: ActionTypes.REPORT_SELECTED, id: 1},
            {type: ActionTypes.REPORT_UPDATED, report: v3},
        ]);
        expect(loaded.queue.reports[0]).toBe(v3);
        expect(loaded.queue.reports[1]).toBe(r2);
        expect(loaded.mine.reports[0]).toBe(v3);
        expect(loaded.detail).toMatchObject({report: v3, status: 'loaded'});

        const stale = run([{type: ActionTypes.REPORT_UPDATED, report: r1}], loaded);
        expect(stale.queue.reports[0]).toBe(v3);
        expect(stale.detail.report).toBe(v3);
    });

    it('tracks an action: pending, then done or failed; opening another report clears it', () => {
        const pending = run([{type: ActionTypes.ACTION_REQUEST, action: 'take'}]);
        expect(pending.action).toEqual({pending: 'take', error: null, notice: null});
        expect(run([{type: ActionTypes.ACTION_SUCCESS, notice: 'You took SEC-1.'}], pending).action).toEqual({pending: null, error: null, notice: 'You took SEC-1.'});

        const failed = run([{type: ActionTypes.ACTION_FAILURE, error: {code: 'refused', message: 'No.'}}], pending);
        expect(failed.action.error).toEqual({code: 'refused', message: 'No.'});
        expect(run([{type: ActionTypes.REPORT_SELECTED, id: 2}], failed).action.error).toBeNull();
        expect(run([{type: ActionTypes.ACTION_CLEARED}], failed).action.error).toBeNull();
    });

    it('changes filters and tabs; a tab change closes the open report', () => {
        const filters = {status: 'submitted' as const, assignee: 'none' as const, severity: 'high' as const, order: 'newest' as const};
        const s = run([
            {type: ActionTypes.FILTERS_CHANGED, filters},
            {type: ActionTypes.REPORT_SELECTED, id: 1},
            {type: ActionTypes.TAB_SELECTED, tab: 'mine'},
        ]);
        expect(s.filters).toEqual(filters);
        expect(s.tab).toBe('mine');
        expect(s.detail.id).toBeNull();
    });

    it('remembers usernames', () => {
        const s = run([
            {type: ActionTypes.USERS_RECEIVED, users: [{id: 'u1', username: 'alice'}]},
            {type: ActionTypes.USERS_RECEIVED, users: [{id: 'u2', username: 'bob'}]},
        ]);
        expect(s.users).toEqual({u1: 'alice', u2: 'bob'});
    });
});
