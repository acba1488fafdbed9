import {act, fireEvent, render, screen, waitFor} from '@testing-library/react';
import React from 'react';
import type {ComponentType, ReactNode} from 'react';
import {Provider} from 'react-redux';
import {Client4} from 'mattermost-redux/client';
import type {Reducer} from 'redux';

import Plugin, {REPORT_MENU_TEXT, SIDEBAR_TITLE} from './plugin';
import {getPluginState} from './store/selectors';
import {STYLE_ELEMENT_ID} from './components/styles';
import type {WebSocketMessage} from './store/websocket';
import {FakeServer} from './testing/fetch';
import {teamReport} from './testing/fixtures';
import {dialogOpenedResponse, makePluginStore, makeStore} from './testing/store';
import type {PluginRegistry, RightHandSidebar} from './types/registry';

type MenuItem = {text: ReactNode; action: () => void; mobileIcon: ReactNode};
type HeaderButton = {icon: ReactNode; action: () => void; dropdownText: ReactNode; tooltipText: ReactNode};

const SHOW_RHS = {type: 'UPDATE_RHS_STATE', state: 'plugin', pluginId: 'rhs-1'};

// Records registrations the way the host's registry stores them.
class FakeRegistry implements PluginRegistry {
    public readonly mainMenu: MenuItem[] = [];
    public readonly sidebars: {component: ComponentType; title: ReactNode}[] = [];
    public readonly headerButtons: HeaderButton[] = [];
    public readonly reducers: Reducer[] = [];
    public readonly wsHandlers = new Map<string, (msg: WebSocketMessage) => void>();
    public readonly reconnectHandlers: (() => void)[] = [];

    public registerMainMenuAction(text: ReactNode, action: () => void, mobileIcon: ReactNode): string {
        this.mainMenu.push({text, action, mobileIcon});
        return `main-menu-${String(this.mainMenu.length)}`;
    }

    public registerRightHandSidebarComponent(component: ComponentType, title: ReactNode): RightHandSidebar {
        this.sidebars.push({component, title});
        return {id: 'rhs-1', showRHSPlugin: SHOW_RHS, hideRHSPlugin: {type: 'hide'}, toggleRHSPlugin: {type: 'toggle'}};
    }

    public registerChannelHeaderButtonAction(icon: ReactNode, action: () => void, dropdownText: ReactNode, tooltipText: ReactNode): string {
        this.headerButtons.push({icon, action, dropdownText, tooltipText});
        return 'header-1';
    }

    public registerReducer(reducer: Reducer): void {
        this.reducers.push(reducer);
    }

    public registerWebSocketEventHandler(event: string, handler: (msg: WebSocketMessage) => void): void {
        this.wsHandlers.set(event, handler);
    }

    public registerReconnectHandler(handler: () => void): void {
        this.reconnectHandlers.push(handler);
    }
}

// Renders registered items as the host's main menu does: a clickable entry
// per item, showing its text.
function MainMenu({items}: {items: MenuItem[]}) {
    return (
        <ul>
            {items.map((item, i) => (
                <li key={i}>
                    <button onClick={item.action}>{item.mobileIcon}{item.text}</button>
                </li>
            ))}
        </ul>
    );
}

describe('Plugin', () => {
    afterEach(() => {
        Client4.setUrl('');
    });

    it('registers one main-menu action with the report text and an icon', () => {
        const registry = new FakeRegistry();

        new Plugin().initialize(registry, makeStore());

        expect(Client4.getUrl()).toBe(window.location.origin);

        expect(registry.mainMenu).toHaveLength(1);
        expect(registry.mainMenu[0].text).toBe(REPORT_MENU_TEXT);
        expect(REPORT_MENU_TEXT).toBe('Report a security vulnerability');
        expect(registry.mainMenu[0].mobileIcon).toBeTruthy();
    });

    it('runs /security report in the current channel and team when the menu item is clicked', async () => {
        const execute = jest.spyOn(Client4, 'executeCommand').mockResolvedValue(dialogOpenedResponse());
        const registry = new FakeRegistry();
        new Plugin().initialize(registry, makeStore());

        render(<MainMenu items={registry.mainMenu}/>);
        expect(execute).not.toHaveBeenCalled();
        fireEvent.click(screen.getByRole('button', {name: 'Report a security vulnerability'}));

        await waitFor(() => {
            expect(execute).toHaveBeenCalledTimes(1);
        });
        expect(execute).toHaveBeenCalledWith('/security report', {channel_id: 'channel-1', team_id: 'team-1'});
    });

    it('registers the "Security reports" sidebar and one channel-header button that opens it', () => {
        const registry = new FakeRegistry();
        const store = makeStore();
        const dispatch = jest.spyOn(store, 'dispatch');
        new Plugin().initialize(registry, store);

        expect(registry.sidebars).toHaveLength(1);
        expect(registry.sidebars[0].title).toBe(SIDEBAR_TITLE);
        expect(SIDEBAR_TITLE).toBe('Security reports');
        expect(registry.headerButtons).toHaveLength(1);
        expect(registry.headerButtons[0].tooltipText).toBe('Security reports');
        expect(registry.headerButtons[0].icon).toBeTruthy();

        registry.headerButtons[0].action();

        expect(dispatch).toHaveBeenCalledWith(SHOW_RHS);
    });

    it('registers its reducer, the report websocket event and a reconnect handler, and its styles once', () => {
        const registry = new FakeRegistry();
        new Plugin().initialize(registry, makeStore());
        new Plugin().initialize(new FakeRegistry(), makeStore());

        expect(registry.reducers).toHaveLength(1);
        expect(registry.reducers[0](undefined, {type: '@@INIT'})).toMatchObject({role: 'unknown'});
        expect([...registry.wsHandlers.keys()]).toEqual(['custom_com.mattermost.responsible-disclosure_report_changed']);
        expect(registry.reconnectHandlers).toHaveLength(1);
        expect(document.querySelectorAll(`#${STYLE_ELEMENT_ID}`)).toHaveLength(1);
    });

    it('renders the registered sidebar in the host\'s store and updates it from the websocket', async () => {
        Client4.setUrl('http://mm.test');
        const server = new FakeServer();
        const base = '/plugins/com.mattermost.responsible-disclosure/api/v1';
        server.on('GET', base + '/reports/queue', {json: {reports: [teamReport({id: 1})], next_cursor: 0}});
        server.on('POST', '/api/v4/users/ids', {json: []});
        server.install();
        const registry = new FakeRegistry();
        const store = makePluginStore();
        new Plugin().initialize(registry, store);
        Client4.setUrl('http://mm.test');
        const SidebarComponent = registry.sidebars[0].component;

        render(<Provider store={store}><SidebarComponent/></Provider>);
        expect(await screen.findByText('SEC-1')).toBeInTheDocument();

        server.on('GET', base + '/reports/queue', {json: {reports: [teamReport({id: 1}), teamReport({id: 2, title: 'Brand new'})], next_cursor: 0}});
        const handler = registry.wsHandlers.get('custom_com.mattermost.responsible-disclosure_report_changed');
        act(() => {
            handler?.({event: 'custom_com.mattermost.responsible-disclosure_report_changed', data: {report_id: 2, status: 'submitted', version: 1}});
        });

        expect(await screen.findByText('Brand new')).toBeInTheDocument();
        expect(getPluginState(store.getState()).queue.reports).toHaveLength(2);
    });
});
