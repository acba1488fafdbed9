import {applyMiddleware, legacy_createStore as createStore} from 'redux';
import type {Store} from 'redux';
import {thunk} from 'redux-thunk';

import type {CommandResponse} from '@mattermost/types/integrations';
import type {GlobalState} from '@mattermost/types/store';

import reducer from '../store/reducer';
import {STATE_KEY} from '../store/selectors';
import type {AppDispatch, PluginAction, PluginState, State} from '../store/types';

interface Options {
    channelId?: string;
    teamId?: string;
    userId?: string;
    profiles?: Record<string, {id: string; username: string}>;
    plugin?: Partial<PluginState>;
}

function hostState({channelId = 'channel-1', teamId = 'team-1', userId = 'user-1', profiles = {}}: Options): State {
    return {
        entities: {
            channels: {currentChannelId: channelId},
            teams: {currentTeamId: teamId},
            users: {currentUserId: userId, profiles},
            general: {config: {}},
        },
        errors: [],
    } as unknown as State;
}

// A real redux store with the thunk middleware, like the web client's, holding
// only the slice of its state that the plugin and mattermost-redux read.
export function makeStore(options: Options = {}): Store<GlobalState> {
    const state = hostState(options) as GlobalState;
    return createStore((s: GlobalState = state) => s, applyMiddleware(thunk));
}

export type TestStore = Store<State> & {dispatch: AppDispatch};

// makePluginStore adds the plugin's reducer at state['plugins-<id>'], where the
// host's registerReducer puts it.
export function makePluginStore(options: Options = {}): TestStore {
    const base = hostState(options);
    const initial = {...base, [STATE_KEY]: {...reducer(undefined, {type: '@@INIT'} as unknown as PluginAction), ...options.plugin}} as State;
    const root = (s: State = initial, action: PluginAction): State => ({...s, [STATE_KEY]: reducer(s[STATE_KEY] as PluginState, action)});
    return createStore(root as never, initial as never, applyMiddleware(thunk)) as unknown as TestStore;
}

// What the server answers to a command that opened a dialog.
export function dialogOpenedResponse(): CommandResponse {
    return {response_type: '', text: '', trigger_id: 'trigger-1'} as CommandResponse;
}
