import React from 'react';
import type {Reducer, Store} from 'redux';

import type {GlobalState} from '@mattermost/types/store';

import {openReportDialog} from './actions/report';
import {configureClient} from './client';
import {ShieldIcon} from './components/common';
import Sidebar from './components/Sidebar';
import {ensureStyles} from './components/styles';
import reducer from './store/reducer';
import type {State} from './store/types';
import {REPORT_CHANGED_EVENT, reconnectHandler, reportChangedHandler} from './store/websocket';
import type {PluginRegistry} from './types/registry';

export const REPORT_MENU_TEXT = 'Report a security vulnerability';
export const SIDEBAR_TITLE = 'Security reports';

export default class Plugin {
    public initialize(registry: PluginRegistry, store: Store<GlobalState>): void {
        configureClient();
        ensureStyles();
        const hostStore = store as unknown as Store<State>;

        registry.registerReducer(reducer as Reducer);

        registry.registerMainMenuAction(
            REPORT_MENU_TEXT,
            () => {
                // The thunk never rejects: failures come back as {error} and
                // mattermost-redux has already logged them.
                void store.dispatch(openReportDialog());
            },
            <i className='icon fa fa-shield'/>,
        );

        const rhs = registry.registerRightHandSidebarComponent(Sidebar, SIDEBAR_TITLE);
        registry.registerChannelHeaderButtonAction(
            <ShieldIcon/>,
            () => {
                store.dispatch(rhs.showRHSPlugin as Parameters<typeof store.dispatch>[0]);
            },
            SIDEBAR_TITLE,
            SIDEBAR_TITLE,
        );

        registry.registerWebSocketEventHandler(REPORT_CHANGED_EVENT, reportChangedHandler(hostStore));
        registry.registerReconnectHandler(reconnectHandler(hostStore));
    }
}
