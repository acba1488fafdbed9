import type {GlobalState} from '@mattermost/types/store';

import type {ApiErrorCode, UserSummary} from '../api';
import type {ActionName, QueueFilters, ReportView} from '../types/reports';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

// A list of reports as the sidebar shows it. seq is the number of the newest
// request: an older answer that arrives late is dropped.
export interface ListState {
    reports: ReportView[];
    next: number;
    status: LoadStatus;
    loadingMore: boolean;
    error: string | null;
    seq: number;
}

// Whether the user is on the security team is learned from the queue itself:
// it answers 403 to everyone else.
export type Role = 'unknown' | 'triager' | 'researcher';

export type Tab = 'queue' | 'mine';

export interface DetailState {
    id: number | null;
    report: ReportView | null;
    status: LoadStatus;
    error: string | null;
    seq: number;
}

export interface ActionError {
    code: ApiErrorCode;
    message: string;
    field?: string;
}

// The last action taken from the detail: running, failed, or done (notice).
export interface ActionState {
    pending: ActionName | null;
    error: ActionError | null;
    notice: string | null;
}

export interface PluginState {
    role: Role;
    tab: Tab;
    filters: QueueFilters;
    queue: ListState;
    mine: ListState;
    detail: DetailState;
    action: ActionState;

    // Usernames by user id, for assignees and the timeline.
    users: Record<string, string>;
}

export type ListName = 'queue' | 'mine';

export const ActionTypes = {
    ROLE_DECIDED: 'RD_ROLE_DECIDED',
    TAB_SELECTED: 'RD_TAB_SELECTED',
    FILTERS_CHANGED: 'RD_FILTERS_CHANGED',
    LIST_REQUEST: 'RD_LIST_REQUEST',
    LIST_SUCCESS: 'RD_LIST_SUCCESS',
    LIST_FAILURE: 'RD_LIST_FAILURE',
    LIST_RESET: 'RD_LIST_RESET',
    REPORT_SELECTED: 'RD_REPORT_SELECTED',
    DETAIL_REQUEST: 'RD_DETAIL_REQUEST',
    DETAIL_SUCCESS: 'RD_DETAIL_SUCCESS',
    DETAIL_FAILURE: 'RD_DETAIL_FAILURE',
    REPORT_UPDATED: 'RD_REPORT_UPDATED',
    ACTION_REQUEST: 'RD_ACTION_REQUEST',
    ACTION_SUCCESS: 'RD_ACTION_SUCCESS',
    ACTION_FAILURE: 'RD_ACTION_FAILURE',
    ACTION_CLEARED: 'RD_ACTION_CLEARED',
    USERS_RECEIVED: 'RD_USERS_RECEIVED',
} as const;

// How a list request treats what is shown: replace (new filters: show loading),
// append (the next page), refresh (update in place, quietly).
export type ListMode = 'replace' | 'append' | 'refresh';

export type PluginAction =
    | {type: typeof ActionTypes.ROLE_DECIDED; role: Role}
    | {type: typeof ActionTypes.TAB_SELECTED; tab: Tab}
    | {type: typeof ActionTypes.FILTERS_CHANGED; filters: QueueFilters}
    | {type: typeof ActionTypes.LIST_REQUEST; list: ListName; seq: number; mode: ListMode}
    | {type: typeof ActionTypes.LIST_SUCCESS; list: ListName; seq: number; mode: ListMode; reports: ReportView[]; next: number}
    | {type: typeof ActionTypes.LIST_FAILURE; list: ListName; seq: number; mode: ListMode; error: string}
    | {type: typeof ActionTypes.LIST_RESET; list: ListName}
    | {type: typeof ActionTypes.REPORT_SELECTED; id: number | null}
    | {type: typeof ActionTypes.DETAIL_REQUEST; id: number; seq: number; quiet: boolean}
    | {type: typeof ActionTypes.DETAIL_SUCCESS; seq: number; report: ReportView}
    | {type: typeof ActionTypes.DETAIL_FAILURE; seq: number; error: string}
    | {type: typeof ActionTypes.REPORT_UPDATED; report: ReportView}
    | {type: typeof ActionTypes.ACTION_REQUEST; action: ActionName}
    | {type: typeof ActionTypes.ACTION_SUCCESS; notice: string}
    | {type: typeof ActionTypes.ACTION_FAILURE; error: ActionError}
    | {type: typeof ActionTypes.ACTION_CLEARED}
    | {type: typeof ActionTypes.USERS_RECEIVED; users: UserSummary[]};

// The host's state with the plugin's slice, which registerReducer places at
// state['plugins-<plugin id>'].
export type State = GlobalState & Partial<Record<string, unknown>>;

export type GetState = () => State;

export type AppThunk<R = Promise<void>> = (dispatch: AppDispatch, getState: GetState) => R;

// The host's store runs redux-thunk, so a dispatched function runs with
// dispatch and getState, and dispatch returns what it returns.
export interface AppDispatch {
    <R>(thunk: AppThunk<R>): R;
    (action: PluginAction): PluginAction;
}
