import {fireEvent, render, screen, waitFor} from '@testing-library/react';
import React from 'react';
import type {ReactNode} from 'react';
import {Client4} from 'mattermost-redux/client';

import Plugin, {REPORT_MENU_TEXT} from './plugin';
import {dialogOpenedResponse, makeStore} from './testing/store';
import type {PluginRegistry} from './types/registry';

type MenuItem = {text: ReactNode; action: () => void; mobileIcon: ReactNode};

// Records main-menu registrations the way the host's registry stores them.
class FakeRegistry implements PluginRegistry {
    public readonly mainMenu: MenuItem[] = [];

    public registerMainMenuAction(text: ReactNode, action: () => void, mobileIcon: ReactNode): string {
        this.mainMenu.push({text, action, mobileIcon});
        return `main-menu-${String(this.mainMenu.length)}`;
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
});
