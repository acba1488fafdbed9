import type {ComponentType, ReactNode} from 'react';
import type {Reducer} from 'redux';

import type {WebSocketMessage} from '../store/websocket';

// What registerRightHandSidebarComponent returns: the id and the actions
// that open, close and toggle the sidebar (dispatch them on the host's store).
export interface RightHandSidebar {
    id: string;
    showRHSPlugin: unknown;
    hideRHSPlugin: unknown;
    toggleRHSPlugin: unknown;
}

// The part of the Mattermost web client's plugin registry that this plugin
// uses. The host passes the full registry; declaring only what we call keeps
// the contract visible and lets tests supply a small fake.
export interface PluginRegistry {

    // Adds an item to the main menu (the team menu on desktop, the sidebar
    // menu on mobile web) and returns the component id the host assigned.
    registerMainMenuAction(text: ReactNode, action: () => void, mobileIcon: ReactNode): string;

    // Adds a component to the right-hand sidebar, shown under title.
    registerRightHandSidebarComponent(component: ComponentType, title: ReactNode): RightHandSidebar;

    // Adds a button to the channel header.
    registerChannelHeaderButtonAction(icon: ReactNode, action: () => void, dropdownText: ReactNode, tooltipText: ReactNode): string;

    // Adds the plugin's reducer; its state lives at state['plugins-<id>'].
    registerReducer(reducer: Reducer): void;

    // Handles a websocket event; plugin events are "custom_<id>_<name>".
    registerWebSocketEventHandler(event: string, handler: (msg: WebSocketMessage) => void): void;

    // Called when the websocket reconnects after being down.
    registerReconnectHandler(handler: () => void): void;
}
