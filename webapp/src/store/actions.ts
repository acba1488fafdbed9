import {ApiError, DEFAULT_PAGE_SIZE, fetchMine, fetchQueue, fetchReport, fetchUserByUsername, fetchUsersByIds, postAction} from '../api';
import {ACTION_META} from '../types/action_meta';
import type {ActionInput, ActionName, QueueFilters, ReportChangedData, ReportView} from '../types/reports';

import {findReport, getDetail, getFilters, getMissingUserIds, getMyUserId, getPluginState, getRole} from './selectors';
import {ActionTypes} from './types';
import type {AppThunk, ListMode, ListName, PluginAction, Tab} from './types';

// The server's largest page: a quiet refresh reloads at most this many rows.
const MAX_PAGE_SIZE = 100;

let seq = 0;
function nextSeq(): number {
    seq += 1;
    return seq;
}

function messageOf(err: unknown): string {
    return err instanceof Error ? err.message : 'Something went wrong.';
}

function loadList(list: ListName, mode: ListMode): AppThunk {
    return async (dispatch, getState) => {
        const state = getState();
        const current = getPluginState(state)[list];
        const n = nextSeq();
        let cursor = 0;
        let limit = DEFAULT_PAGE_SIZE;
        if (mode === 'append') {
            cursor = current.next;
        } else if (mode === 'refresh') {
            // Reload as many rows as are shown, so a refresh never shrinks a
            // list the user paged through.
            limit = Math.min(MAX_PAGE_SIZE, Math.max(DEFAULT_PAGE_SIZE, current.reports.length));
        }
        dispatch({type: ActionTypes.LIST_REQUEST, list, seq: n, mode});
        try {
            const page = list === 'queue' ?
                await fetchQueue(getFilters(state), getMyUserId(state), cursor, limit) :
                await fetchMine(cursor, limit);
            if (list === 'queue' && getRole(getState()) !== 'triager') {
                dispatch({type: ActionTypes.ROLE_DECIDED, role: 'triager'});
            }
            dispatch({type: ActionTypes.LIST_SUCCESS, list, seq: n, mode, reports: page.reports, next: page.next_cursor});
            await dispatch(loadMissingUsers(page.reports));
        } catch (err) {
            if (list === 'queue' && err instanceof ApiError && err.code === 'forbidden') {
                // Not on the security team (or no longer): the sidebar shows
                // the researcher's own reports only.
                dispatch({type: ActionTypes.LIST_RESET, list});
                if (getRole(getState()) !== 'researcher') {
                    dispatch({type: ActionTypes.ROLE_DECIDED, role: 'researcher'});
                }
                return;
            }
            dispatch({type: ActionTypes.LIST_FAILURE, list, seq: n, mode, error: messageOf(err)});
        }
    };
}

export function loadQueue(mode: ListMode = 'replace'): AppThunk {
    return loadList('queue', mode);
}

export function loadMine(mode: ListMode = 'replace'): AppThunk {
    return loadList('mine', mode);
}

// initSidebar decides who the user is (the queue answers 403 to anyone off the
// security team) and loads what they see first.
export function initSidebar(): AppThunk {
    return async (dispatch, getState) => {
        const s = getPluginState(getState());
        if (s.role === 'unknown' && s.queue.status !== 'loading') {
            await dispatch(loadQueue());
        } else if (s.role !== 'unknown') {
            // Opened again: what it shows may have changed while the
            // websocket was away; reload quietly.
            await dispatch(refreshLists());
        }
        const after = getPluginState(getState());
        if (after.role === 'researcher' && after.mine.status === 'idle') {
            await dispatch(loadMine());
        }
    };
}

export function changeFilters(filters: QueueFilters): AppThunk {
    return async (dispatch) => {
        dispatch({type: ActionTypes.FILTERS_CHANGED, filters});
        await dispatch(loadQueue());
    };
}

export function selectTab(tab: Tab): AppThunk {
    return async (dispatch, getState) => {
        dispatch({type: ActionTypes.TAB_SELECTED, tab});
        const list = getPluginState(getState())[tab];
        if (list.status === 'idle') {
            await dispatch(loadList(tab, 'replace'));
        }
    };
}

export function loadDetail(reportId: number, quiet = false): AppThunk {
    return async (dispatch) => {
        const n = nextSeq();
        dispatch({type: ActionTypes.DETAIL_REQUEST, id: reportId, seq: n, quiet});
        try {
            const report = await fetchReport(reportId);
            dispatch({type: ActionTypes.DETAIL_SUCCESS, seq: n, report});
            await dispatch(loadMissingUsers([report]));
        } catch (err) {
            dispatch({type: ActionTypes.DETAIL_FAILURE, seq: n, error: messageOf(err)});
        }
    };
}

export function openReport(reportId: number): AppThunk {
    return async (dispatch) => {
        dispatch({type: ActionTypes.REPORT_SELECTED, id: reportId});
        await dispatch(loadDetail(reportId));
    };
}

export function closeReport(): PluginAction {
    return {type: ActionTypes.REPORT_SELECTED, id: null};
}

export function clearActionResult(): PluginAction {
    return {type: ActionTypes.ACTION_CLEARED};
}

// Usernames currently being fetched, so concurrent loads ask once.
const usersInFlight = new Set<string>();

export function loadMissingUsers(reports: ReportView[]): AppThunk {
    return async (dispatch, getState) => {
        const ids = getMissingUserIds(getState(), reports).filter((id) => !usersInFlight.has(id));
        if (ids.length === 0) {
            return;
        }
        ids.forEach((id) => usersInFlight.add(id));
        try {
            dispatch({type: ActionTypes.USERS_RECEIVED, users: await fetchUsersByIds(ids)});
        } catch {
            // Names are a nicety: rows still show without them.
        } finally {
            ids.forEach((id) => usersInFlight.delete(id));
        }
    };
}

// refreshLists quietly reloads the lists the user has opened, so a changed
// report moves in or out of the filtered queue.
export function refreshLists(): AppThunk {
    return async (dispatch, getState) => {
        const s = getPluginState(getState());
        const lists: ListName[] = ['queue', 'mine'];
        await Promise.all(lists.filter((l) => s[l].status !== 'idle').map((l) => dispatch(loadList(l, 'refresh'))));
    };
}

// reportChanged handles the plugin's websocket event: it reloads what shows
// that report unless the sidebar already holds that version or a newer one
// (say, the user's own action a moment ago). A report not shown yet (a new
// one) reloads the lists, so it appears without a reload of the page.
export function reportChanged(change: ReportChangedData): AppThunk {
    return async (dispatch, getState) => {
        const s = getPluginState(getState());
        const lists: ListName[] = ['queue', 'mine'];
        const stale = lists.filter((l) => {
            const list = s[l];
            if (list.status === 'idle') {
                return false;
            }
            const shown = list.reports.find((r) => r.id === change.report_id);
            return !shown || shown.version < change.version;
        });
        const work: Promise<void>[] = stale.map((l) => dispatch(loadList(l, 'refresh')));
        const detail = getDetail(getState());
        if (detail.id === change.report_id && (detail.report?.version ?? 0) < change.version) {
            work.push(dispatch(loadDetail(change.report_id, true)));
        }
        await Promise.all(work);
    };
}

// performAction acts on the report open in the detail, with the version the
// user saw. For reassign, input.assignee is a username, resolved here. It
// resolves to whether the action was done.
export function performAction(action: ActionName, input: ActionInput = {}): AppThunk<Promise<boolean>> {
    return async (dispatch, getState) => {
        const detail = getDetail(getState());
        const report = detail.id === null ? undefined : findReport(getState(), detail.id);
        if (!report) {
            return false;
        }
        dispatch({type: ActionTypes.ACTION_REQUEST, action});
        let done = false;
        try {
            const body = {...input};
            if (action === 'reassign') {
                const username = (input.assignee ?? '').trim().replace(/^@/, '');
                if (username === '') {
                    dispatch({type: ActionTypes.ACTION_FAILURE, error: {code: 'invalid_input', field: 'assignee', message: 'Say who takes the report over.'}});
                    return false;
                }
                try {
                    const user = await fetchUserByUsername(username);
                    dispatch({type: ActionTypes.USERS_RECEIVED, users: [user]});
                    body.assignee = user.id;
                } catch (err) {
                    if (err instanceof ApiError && err.code === 'not_found') {
                        dispatch({type: ActionTypes.ACTION_FAILURE, error: {code: 'invalid_input', field: 'assignee', message: `There is no user @${username}.`}});
                        return false;
                    }
                    throw err;
                }
            }
            const updated = await postAction(report.id, action, report.version, body);
            dispatch({type: ActionTypes.REPORT_UPDATED, report: updated});
            dispatch({type: ActionTypes.ACTION_SUCCESS, notice: ACTION_META[action].done(updated)});
            done = true;
        } catch (err) {
            if (err instanceof ApiError) {
                if (err.code === 'conflict' && err.current) {
                    // Show the report as it is now, and say so.
                    dispatch({type: ActionTypes.REPORT_UPDATED, report: err.current});
                    dispatch({type: ActionTypes.ACTION_FAILURE, error: {
                        code: 'conflict',
                        message: `${report.key} changed while you were looking at it: it is now ${err.current.status_label}. Check it again before acting.`,
                    }});
                } else {
                    dispatch({type: ActionTypes.ACTION_FAILURE, error: {code: err.code, message: err.message, field: err.field}});
                }
            } else {
                dispatch({type: ActionTypes.ACTION_FAILURE, error: {code: 'unexpected', message: messageOf(err)}});
            }
        }
        await Promise.all([dispatch(refreshLists()), dispatch(loadMissingUsers([findReport(getState(), report.id) ?? report]))]);
        return done;
    };
}
