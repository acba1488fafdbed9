// A stand-in for the Mattermost web client, for the browser check only (never
// shipped): it provides the globals the web client gives plugin bundles, a
// real Redux store built by mattermost-redux, the real websocket client of
// @mattermost/client, a cookie session with CSRF like the web client's, and
// a minimal plugin registry with a channel header and a right-hand sidebar.
// It then loads the plugin's bundle from the server, as the web client does.
import PropTypes from 'prop-types';
import React, {useSyncExternalStore} from 'react';
import type {ComponentType, ReactNode} from 'react';
import ReactDOM from 'react-dom';
import {createRoot} from 'react-dom/client';
import * as ReactRedux from 'react-redux';
import * as Redux from 'redux';
import type {Reducer, Store} from 'redux';

import {WebSocketClient} from '@mattermost/client';
import type {GlobalState} from '@mattermost/types/store';
import {ChannelTypes, TeamTypes} from 'mattermost-redux/action_types';
import {loadMe} from 'mattermost-redux/actions/users';
import {Client4} from 'mattermost-redux/client';
import configureStore from 'mattermost-redux/store/configureStore';
import reducerRegistry from 'mattermost-redux/store/reducer_registry';

interface HostWindow {
    React: typeof React;
    ReactDOM: typeof ReactDOM;
    Redux: typeof Redux;
    ReactRedux: typeof ReactRedux;
    PropTypes: typeof PropTypes;
    registerPlugin: (id: string, plugin: {initialize: (registry: unknown, store: Store) => void}) => void;
    rdHost: typeof rdHost;
}

const w = window as unknown as HostWindow;

// The libraries the web client exposes to plugins (webpack externals).
w.React = React;
w.ReactDOM = ReactDOM;
w.Redux = Redux;
w.ReactRedux = ReactRedux;
w.PropTypes = PropTypes;

interface HeaderButton {
    pluginId: string;
    icon: ReactNode;
    action: () => void;
    tooltip: ReactNode;
}

interface Sidebar {
    id: string;
    component: ComponentType;
    title: ReactNode;
}

// What plugins registered, kept outside Redux (components are not data).
const registered = {
    headerButtons: [] as HeaderButton[],
    sidebars: [] as Sidebar[],
    mainMenu: [] as {text: ReactNode; action: () => void}[],
    wsHandlers: new Map<string, (msg: unknown) => void>(),
    reconnectHandlers: [] as (() => void)[],
    version: 0,
};
const listeners = new Set<() => void>();
function changed() {
    registered.version++;
    listeners.forEach((l) => {
        l();
    });
}

// The open right-hand sidebar lives in the store, as in the web client
// (its showRHSPlugin is an action plugins dispatch).
const SHOW = 'HOST_RHS_SHOW';
const HIDE = 'HOST_RHS_HIDE';
const hostRhs: Reducer<string | null> = (state = null, action) => {
    const a = action as {type: string; pluginComponentId?: string};
    switch (a.type) {
    case SHOW:
        return a.pluginComponentId ?? null;
    case HIDE:
        return null;
    }
    return state;
};

const appReducers = {hostRhs} as Record<string, Reducer>;
const store = configureStore({appReducers, getAppReducers: () => appReducers, preloadedState: {}}) as unknown as Store<GlobalState & {hostRhs: string | null}>;

function registryFor(pluginId: string) {
    let n = 0;
    const nextId = () => `${pluginId}-${String(++n)}`;
    return {
        registerMainMenuAction(text: ReactNode, action: () => void) {
            registered.mainMenu.push({text, action});
            changed();
            return nextId();
        },
        registerChannelHeaderButtonAction(icon: ReactNode, action: () => void, _dropdownText: ReactNode, tooltip: ReactNode) {
            registered.headerButtons.push({pluginId, icon, action, tooltip});
            changed();
            return nextId();
        },
        registerRightHandSidebarComponent(component: ComponentType, title: ReactNode) {
            const id = nextId();
            registered.sidebars.push({id, component, title});
            changed();
            return {
                id,
                showRHSPlugin: {type: SHOW, pluginComponentId: id},
                hideRHSPlugin: {type: HIDE},
                toggleRHSPlugin: {type: SHOW, pluginComponentId: id},
            };
        },

        // The web client's own mechanism: the reducer joins the store at
        // state['plugins-<id>'].
        registerReducer(reducer: Reducer) {
            reducerRegistry.register('plugins-' + pluginId, reducer);
        },
        registerWebSocketEventHandler(event: string, handler: (msg: unknown) => void) {
            registered.wsHandlers.set(event, handler);
        },
        registerReconnectHandler(handler: () => void) {
            registered.reconnectHandlers.push(handler);
        },
    };
}

function useRegistered() {
    return useSyncExternalStore((l) => {
        listeners.add(l);
        return () => listeners.delete(l);
    }, () => registered.version);
}

function Shell({channelName}: {channelName: string}) {
    useRegistered();
    const open = ReactRedux.useSelector((s: {hostRhs: string | null}) => s.hostRhs);
    const sidebar = registered.sidebars.find((s) => s.id === open);
    const SidebarComponent = sidebar?.component;
    return (
        <div className='host-layout'>
            <main className='host-center'>
                <header className='host-channel-header'>
                    <h1>{channelName}</h1>
                    <div className='host-header-buttons'>
                        {registered.headerButtons.map((b, i) => (
                            <button
                                key={i}
                                type='button'
                                className='host-header-button'
                                aria-label={typeof b.tooltip === 'string' ? b.tooltip : undefined}
                                title={typeof b.tooltip === 'string' ? b.tooltip : undefined}
                                onClick={b.action}
                            >
                                {b.icon}
                            </button>
                        ))}
                    </div>
                </header>
                <p className='host-note'>
                    {'A stand-in for the Mattermost web client: the Responsible Disclosure plugin\'s bundle, loaded from the server, in a real Redux store with a live websocket.'}
                </p>
            </main>
            {sidebar && SidebarComponent && (
                <aside
                    className='host-rhs'
                    aria-label={typeof sidebar.title === 'string' ? sidebar.title : 'Sidebar'}
                >
                    <div className='host-rhs-header'>
                        <h2>{sidebar.title}</h2>
                        <button
                            type='button'
                            aria-label='Close the sidebar'
                            onClick={() => store.dispatch({type: HIDE})}
                        >
                            {'×'}
                        </button>
                    </div>
                    <div className='host-rhs-body'>
                        <SidebarComponent/>
                    </div>
                </aside>
            )}
        </div>
    );
}

interface BootResult {
    userId: string;
    teamId: string;
    channelId: string;
    bundlePath: string;
}

const status = {
    wsOpen: false,
    wsEvents: 0,
    pluginEvents: 0,
    loads: 0,
};

function loadScript(src: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = () => {
            resolve();
        };
        s.onerror = () => {
            reject(new Error('could not load ' + src));
        };
        document.head.appendChild(s);
    });
}

// boot logs in with a password (a cookie session, as the web client's login
// page makes), loads the user like the web client, opens the websocket,
// loads the plugin bundle the server lists and renders the page.
async function boot(opts: {username: string; password: string; team: string; pluginId: string}): Promise<BootResult> {
    status.loads++;
    Client4.setUrl(window.location.origin);

    // As the web client: the session rides on the cookie and non-GET requests
    // carry the CSRF token, never an Authorization header.
    Client4.setAuthHeader = false;
    Client4.setIncludeCookies(true);
    await Client4.login(opts.username, opts.password);
    const me: {error?: unknown} = await store.dispatch(loadMe() as never);
    if (me.error) {
        throw new Error('loading the user failed: ' + JSON.stringify(me.error));
    }
    const team = await Client4.getTeamByName(opts.team);
    store.dispatch({type: TeamTypes.SELECT_TEAM, data: team.id});
    const channel = await Client4.getChannelByName(team.id, 'town-square');
    store.dispatch({type: ChannelTypes.SELECT_CHANNEL, data: channel.id});

    const ws = new WebSocketClient();
    ws.addMessageListener((msg) => {
        status.wsEvents++;
        const handler = registered.wsHandlers.get(msg.event);
        if (handler) {
            status.pluginEvents++;
            handler(msg);
        }
    });
    ws.addFirstConnectListener(() => {
        status.wsOpen = true;
    });
    ws.addReconnectListener(() => {
        status.wsOpen = true;
        registered.reconnectHandlers.forEach((h) => {
            h();
        });
    });
    ws.addCloseListener(() => {
        status.wsOpen = false;
    });
    const wsUrl = window.location.origin.replace(/^http/, 'ws') + '/api/v4/websocket';
    ws.initialize(wsUrl);

    w.registerPlugin = (id, plugin) => {
        plugin.initialize(registryFor(id), store);
    };
    const manifests = await Client4.getWebappPlugins();
    const manifest = manifests.find((m) => m.id === opts.pluginId);
    let bundlePath = manifest?.webapp.bundle_path;
    if (!bundlePath) {
        throw new Error(`the server lists no webapp bundle for ${opts.pluginId}`);
    }

    // As the web client does: the server lists /static/<id>/… and serves
    // plugin bundles under /static/plugins/.
    if (bundlePath.includes('/static/') && !bundlePath.includes('/static/plugins/')) {
        bundlePath = bundlePath.replace('/static/', '/static/plugins/');
    }
    await loadScript(Client4.getUrl() + bundlePath);

    const rootEl = document.getElementById('root');
    if (!rootEl) {
        throw new Error('no #root');
    }
    createRoot(rootEl).render(
        <ReactRedux.Provider store={store}>
            <Shell channelName={channel.display_name}/>
        </ReactRedux.Provider>,
    );
    return {userId: me.error ? '' : (store.getState().entities.users.currentUserId), teamId: team.id, channelId: channel.id, bundlePath};
}

const rdHost = {
    boot,
    status,
    setTheme(theme: 'light' | 'dark') {
        document.documentElement.dataset.theme = theme;
    },
};
w.rdHost = rdHost;
