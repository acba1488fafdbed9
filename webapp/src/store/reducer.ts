import type {ReportView} from '../types/reports';

import {ActionTypes} from './types';
import type {ActionState, DetailState, ListName, ListState, PluginAction, PluginState} from './types';

export function emptyList(): ListState {
    return {reports: [], next: 0, status: 'idle', loadingMore: false, error: null, seq: 0};
}

export const initialState: PluginState = {
    role: 'unknown',
    tab: 'queue',
    filters: {status: '', assignee: 'all', severity: '', order: 'oldest'},
    queue: emptyList(),
    mine: emptyList(),
    detail: {id: null, report: null, status: 'idle', error: null, seq: 0},
    action: {pending: null, error: null, notice: null},
    users: {},
};

const noAction: ActionState = {pending: null, error: null, notice: null};

// Keeps a report's newer version: answers can cross (a refresh started before
// an action may land after it).
function newer(current: ReportView, incoming: ReportView): ReportView {
    return incoming.version >= current.version ? incoming : current;
}

function updateList(list: ListState, report: ReportView): ListState {
    if (!list.reports.some((r) => r.id === report.id)) {
        return list;
    }
    return {...list, reports: list.reports.map((r) => (r.id === report.id ? newer(r, report) : r))};
}

function listReducer(list: ListState, action: PluginAction): ListState {
    switch (action.type) {
    case ActionTypes.LIST_REQUEST:
        switch (action.mode) {
        case 'replace':
            return {...list, reports: [], next: 0, status: 'loading', loadingMore: false, error: null, seq: action.seq};
        case 'append':
            return {...list, loadingMore: true, error: null, seq: action.seq};
        case 'refresh':
            return {...list, status: list.status === 'loaded' ? 'loaded' : 'loading', seq: action.seq};
        }
        return list;
    case ActionTypes.LIST_SUCCESS:
        if (action.seq !== list.seq) {
            return list;
        }
        if (action.mode === 'append') {
            const known = new Set(list.reports.map((r) => r.id));
            return {
                ...list,
                reports: [...list.reports, ...action.reports.filter((r) => !known.has(r.id))],
                next: action.next,
                loadingMore: false,
                error: null,
            };
        }
        if (action.mode === 'refresh') {
            // A refresh may answer with a report older than one an action
            // already brought in; keep the newer.
            const shown = new Map(list.reports.map((r) => [r.id, r]));
            const reports = action.reports.map((r) => {
                const s = shown.get(r.id);
                return s ? newer(s, r) : r;
            });
            return {...list, reports, next: action.next, status: 'loaded', loadingMore: false, error: null};
        }
        return {...list, reports: action.reports, next: action.next, status: 'loaded', loadingMore: false, error: null};
    case ActionTypes.LIST_FAILURE:
        if (action.seq !== list.seq) {
            return list;
        }

        // A failed next page or quiet refresh keeps what is shown and says why.
        if (action.mode !== 'replace' && list.status === 'loaded') {
            return {...list, loadingMore: false, error: action.error};
        }
        return {...list, status: 'error', loadingMore: false, error: action.error};
    case ActionTypes.LIST_RESET:
        return {...emptyList(), seq: list.seq};
    }
    return list;
}

function detailReducer(detail: DetailState, action: PluginAction, lists: ListState[]): DetailState {
    switch (action.type) {
    case ActionTypes.REPORT_SELECTED: {
        if (action.id === null) {
            return {id: null, report: null, status: 'idle', error: null, seq: detail.seq};
        }

        // Show what the list already knows while the full report loads.
        const id = action.id;
        const known = lists.flatMap((l) => l.reports).find((r) => r.id === id) ?? null;
        return {id, report: known, status: 'loading', error: null, seq: detail.seq};
    }
    case ActionTypes.DETAIL_REQUEST:
        if (action.id !== detail.id) {
            return detail;
        }
        return {...detail, status: action.quiet && detail.status === 'loaded' ? 'loaded' : 'loading', seq: action.seq};
    case ActionTypes.DETAIL_SUCCESS:
        if (action.seq !== detail.seq || action.report.id !== detail.id) {
            return detail;
        }
        return {...detail, report: detail.report ? newer(detail.report, action.report) : action.report, status: 'loaded', error: null};
    case ActionTypes.DETAIL_FAILURE:
        if (action.seq !== detail.seq) {
            return detail;
        }
        return {...detail, status: 'error', error: action.error};
    case ActionTypes.REPORT_UPDATED:
        if (action.report.id !== detail.id) {
            return detail;
        }
        return {...detail, report: detail.report ? newer(detail.report, action.report) : action.report, status: 'loaded', error: null};
    }
    return detail;
}

function actionReducer(state: ActionState, action: PluginAction): ActionState {
    switch (action.type) {
    case ActionTypes.ACTION_REQUEST:
        return {pending: action.action, error: null, notice: null};
    case ActionTypes.ACTION_SUCCESS:
        return {pending: null, error: null, notice: action.notice};
    case ActionTypes.ACTION_FAILURE:
        return {pending: null, error: action.error, notice: null};
    case ActionTypes.ACTION_CLEARED:
    case ActionTypes.REPORT_SELECTED:
        return noAction;
    }
    return state;
}

function listName(action: PluginAction): ListName | null {
    return 'list' in action ? action.list : null;
}

export default function reducer(state: PluginState = initialState, action: PluginAction): PluginState {
    switch (action.type) {
    case ActionTypes.ROLE_DECIDED:
        return {...state, role: action.role, tab: action.role === 'researcher' ? 'mine' : state.tab};
    case ActionTypes.TAB_SELECTED:
        return {...state, tab: action.tab, detail: detailReducer(state.detail, {type: ActionTypes.REPORT_SELECTED, id: null}, []), action: noAction};
    case ActionTypes.FILTERS_CHANGED:
        return {...state, filters: action.filters};
    case ActionTypes.USERS_RECEIVED: {
        const users = {...state.users};
        for (const u of action.users) {
            users[u.id] = u.username;
        }
        return {...state, users};
    }
    case ActionTypes.REPORT_UPDATED:
        return {
            ...state,
            queue: updateList(state.queue, action.report),
            mine: updateList(state.mine, action.report),
            detail: detailReducer(state.detail, action, []),
        };
    }

    const list = listName(action);
    if (list !== null) {
        return {...state, [list]: listReducer(state[list], action)};
    }
    const detail = detailReducer(state.detail, action, [state.queue, state.mine]);
    const act = actionReducer(state.action, action);
    if (detail === state.detail && act === state.action) {
        return state;
    }
    return {...state, detail, action: act};
}
