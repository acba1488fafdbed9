import {teamReport} from '../testing/fixtures';
import {makePluginStore} from '../testing/store';

import {initialState} from './reducer';
import {findReport, getMissingUserIds, getPluginState, getUserLabel, getUsername, STATE_KEY} from './selectors';
import type {State} from './types';

describe('selectors', () => {
    it('read the plugin\'s slice where registerReducer puts it', () => {
        expect(STATE_KEY).toBe('plugins-com.mattermost.responsible-disclosure');
        const store = makePluginStore({plugin: {role: 'triager'}});
        expect(getPluginState(store.getState()).role).toBe('triager');
    });

    it('fall back to the initial state before the reducer is registered', () => {
        expect(getPluginState({entities: {}} as unknown as State)).toBe(initialState);
    });

    it('name users: you, the plugin\'s cache, the host\'s profiles, or a placeholder', () => {
        const store = makePluginStore({
            userId: 'me',
            profiles: {u2: {id: 'u2', username: 'bob'}},
            plugin: {users: {u1: 'alice'}},
        });
        const s = store.getState();
        expect(getUserLabel(s, 'me')).toBe('you');
        expect(getUserLabel(s, 'u1')).toBe('@alice');
        expect(getUserLabel(s, 'u2')).toBe('@bob');
        expect(getUserLabel(s, 'u3')).toBe('someone');
        expect(getUsername(s, 'u3')).toBe('');
    });

    it('list the user ids a report shows whose names are unknown', () => {
        const store = makePluginStore({userId: 'me', plugin: {users: {known: 'k'}}});
        const r = teamReport({
            reporter_id: 'rep',
            assignee_id: 'me',
            timeline: [
                {at: '', action: 'take', summary: '', to: 'triaging', actor_id: 'known'},
                {at: '', action: 'ask', summary: '', to: 'needs_info', actor_id: 'other'},
                {at: '', action: 'auto_close', summary: '', to: 'informative'},
            ],
        });
        expect(getMissingUserIds(store.getState(), [r, r])).toEqual(['other', 'rep']);
    });

    it('find a report in the detail first, then the lists', () => {
        const listed = teamReport({id: 4, version: 1});
        const open = teamReport({id: 4, version: 2});
        const store = makePluginStore({plugin: {
            queue: {...initialState.queue, reports: [listed]},
            detail: {id: 4, report: open, status: 'loaded', error: null, seq: 0},
        }});
        expect(findReport(store.getState(), 4)).toBe(open);
        expect(findReport(store.getState(), 5)).toBeUndefined();
    });
});
