import React from 'react';
import type {Store} from 'redux';

import type {GlobalState} from '@mattermost/types/store';

import {openReportDialog} from './actions/report';
import {configureClient} from './client';
import type {PluginRegistry} from './types/registry';

export const REPORT_MENU_TEXT = 'Report a security vulnerability';

export default class Plugin {
    public initialize(registry: PluginRegistry, store: Store<GlobalState>): void {
        configureClient();

        registry.registerMainMenuAction(
            REPORT_MENU_TEXT,
            () => {
                // The thunk never rejects: failures come back as {error} and
                // mattermost-redux has already logged them.
                void store.dispatch(openReportDialog());
            },
            <i className='icon fa fa-shield'/>,
        );
    }
}
