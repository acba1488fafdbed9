import type {ReactNode} from 'react';

// The part of the Mattermost web client's plugin registry that this plugin
// uses. The host passes the full registry; declaring only what we call keeps
// the contract visible and lets tests supply a small fake.
export interface PluginRegistry {

    // Adds an item to the main menu (the team menu on desktop, the sidebar
    // menu on mobile web) and returns the component id the host assigned.
    registerMainMenuAction(text: ReactNode, action: () => void, mobileIcon: ReactNode): string;
}
