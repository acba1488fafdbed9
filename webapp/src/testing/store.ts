import {applyMiddleware, legacy_createStore as createStore} from 'redux';
import type {Store} from 'redux';
import {thunk} from 'redux-thunk';

import type {CommandResponse} from '@mattermost/types/integrations';
import type {GlobalState} from '@mattermost/types/store';

// A real redux store with the thunk middleware, like the web client's, holding
// only the slice of its state that the plugin and mattermost-redux read.
export function makeStore({channelId = 'channel-1', teamId = 'team-1'} = {}): Store<GlobalState> {
    const state = {
        entities: {
            channels: {currentChannelId: channelId},
            teams: {currentTeamId: teamId},
            users: {currentUserId: 'user-1'},
            general: {config: {}},
        },
        errors: [],
    } as unknown as GlobalState;
    return createStore((s: GlobalState = state) => s, applyMiddleware(thunk));
}

// What the server answers to a command that opened a dialog.
export function dialogOpenedResponse(): CommandResponse {
    return {response_type: '', text: '', trigger_id: 'trigger-1'} as CommandResponse;
}
