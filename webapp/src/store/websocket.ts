import type {Store} from 'redux';

import {id as pluginId} from '../manifest';
import type {ReportChangedData, Status} from '../types/reports';

import {loadDetail, refreshLists, reportChanged} from './actions';
import {getDetail} from './selectors';
import type {AppDispatch, State} from './types';

// The server prefixes a plugin's websocket events with "custom_<plugin id>_"
// (server/notify/publish.go publishes "report_changed").
export const REPORT_CHANGED_EVENT = `custom_${pluginId}_report_changed`;

// What the host hands a websocket handler (WebSocketMessage of @mattermost/client).
export interface WebSocketMessage {
    event: string;
    data: unknown;
}

// parseReportChanged accepts only the event's documented shape; anything else
// is ignored rather than trusted.
export function parseReportChanged(data: unknown): ReportChangedData | null {
    if (typeof data !== 'object' || data === null) {
        return null;
    }
    const d = data as Record<string, unknown>;
    if (typeof d.report_id !== 'number' || d.report_id < 1 || typeof d.version !== 'number' || typeof d.status !== 'string') {
        return null;
    }
    return {report_id: d.report_id, version: d.version, status: d.status as Status};
}

function dispatchOf(store: Pick<Store<State>, 'dispatch'>): AppDispatch {
    return store.dispatch;
}

// reportChangedHandler refetches what the sidebar shows of a changed report.
export function reportChangedHandler(store: Pick<Store<State>, 'dispatch'>): (msg: WebSocketMessage) => void {
    return (msg) => {
        const change = parseReportChanged(msg.data);
        if (change) {
            void dispatchOf(store)(reportChanged(change));
        }
    };
}

// reconnectHandler catches up after the websocket was down: events sent
// meanwhile are lost, so everything shown is reloaded.
export function reconnectHandler(store: Pick<Store<State>, 'dispatch' | 'getState'>): () => void {
    return () => {
        const dispatch = dispatchOf(store);
        void dispatch(refreshLists());
        const detail = getDetail(store.getState());
        if (detail.id !== null) {
            void dispatch(loadDetail(detail.id, true));
        }
    };
}
