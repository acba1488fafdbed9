import {getCurrentUserId} from 'mattermost-redux/selectors/entities/common';

import {id as pluginId} from '../manifest';
import type {ReportView} from '../types/reports';

import {initialState} from './reducer';
import type {ActionState, DetailState, ListState, PluginState, Role, State, Tab} from './types';

// Where registerReducer puts the plugin's state in the host's store.
export const STATE_KEY = `plugins-${pluginId}`;

export function getPluginState(state: State): PluginState {
    return (state[STATE_KEY] as PluginState | undefined) ?? initialState;
}

export const getRole = (state: State): Role => getPluginState(state).role;
export const getTab = (state: State): Tab => getPluginState(state).tab;
export const getFilters = (state: State) => getPluginState(state).filters;
export const getQueue = (state: State): ListState => getPluginState(state).queue;
export const getMine = (state: State): ListState => getPluginState(state).mine;
export const getDetail = (state: State): DetailState => getPluginState(state).detail;
export const getActionState = (state: State): ActionState => getPluginState(state).action;

export function getMyUserId(state: State): string {
    return getCurrentUserId(state);
}

// The username the host or the plugin already knows for a user id, or '' when
// neither does yet.
export function getUsername(state: State, userId: string): string {
    const known = getPluginState(state).users[userId];
    if (known) {
        return known;
    }
    const profiles = (state.entities.users as {profiles?: Record<string, {username?: string} | undefined>} | undefined)?.profiles;
    return profiles?.[userId]?.username ?? '';
}

// How the sidebar names a user: "you", "@name", or a short placeholder while
// the name loads.
export function getUserLabel(state: State, userId: string): string {
    if (userId === getMyUserId(state)) {
        return 'you';
    }
    const username = getUsername(state, userId);
    return username ? '@' + username : 'someone';
}

// The user ids a report shows (reporter, assignee, the timeline's actors)
// whose usernames are not known yet.
export function getMissingUserIds(state: State, reports: ReportView[]): string[] {
    const missing = new Set<string>();
    const me = getMyUserId(state);
    for (const r of reports) {
        const ids = [r.reporter_id, r.assignee_id, ...(r.timeline ?? []).map((e) => e.actor_id)];
        for (const id of ids) {
            if (id && id !== me && !getUsername(state, id)) {
                missing.add(id);
            }
        }
    }
    return [...missing].sort();
}

// findReport looks a report up in what the sidebar holds, freshest first.
export function findReport(state: State, reportId: number): ReportView | undefined {
    const s = getPluginState(state);
    if (s.detail.report?.id === reportId) {
        return s.detail.report;
    }
    return s.queue.reports.find((r) => r.id === reportId) ?? s.mine.reports.find((r) => r.id === reportId);
}
