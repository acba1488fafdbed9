import {Client4} from 'mattermost-redux/client';

import {id as pluginId} from './manifest';
import type {ActionInput, ActionName, QueueFilters, ReportPage, ReportView} from './types/reports';

// The error codes the plugin's REST API answers with (server/api/rest.go), and
// two of the client's own: the server could not be reached, or answered
// something that is not the plugin's JSON (a proxy's error page, say).
export type ApiErrorCode =
    | 'conflict'
    | 'invalid_input'
    | 'refused'
    | 'not_found'
    | 'forbidden'
    | 'busy'
    | 'internal'
    | 'bad_request'
    | 'not_authenticated'
    | 'network'
    | 'unexpected';

const knownCodes = new Set<string>([
    'conflict', 'invalid_input', 'refused', 'not_found', 'forbidden', 'busy', 'internal',
    'bad_request', 'not_authenticated',
]);

// ApiError is every failed call: the HTTP status (0 when the server was not
// reached), the plugin's error code and its sentence for people, the field an
// invalid input names and, on a conflict, the report as it is now.
export class ApiError extends Error {
    public readonly status: number;
    public readonly code: ApiErrorCode;
    public readonly field?: string;
    public readonly current?: ReportView;

    public constructor(status: number, code: ApiErrorCode, message: string, field?: string, current?: ReportView) {
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
        this.field = field;
        this.current = current;
    }
}

interface ErrorBody {
    error?: string;
    message?: string;
    field?: string;
    current?: ReportView;
}

function codeForStatus(status: number): ApiErrorCode {
    switch (status) {
    case 401: return 'not_authenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 503: return 'busy';
    }
    return status >= 500 ? 'internal' : 'unexpected';
}

export function pluginApiUrl(path: string): string {
    return `${Client4.getUrl()}/plugins/${pluginId}/api/v1${path}`;
}

// request calls the server with the options the web client itself uses:
// Client4.getOptions adds the CSRF token (from the MMCSRF cookie) to requests
// that change something, X-Requested-With, and sends the session cookie.
async function request<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    const options = Client4.getOptions({method, body: body === undefined ? undefined : JSON.stringify(body)});
    let response: Response;
    try {
        response = await fetch(url, options);
    } catch {
        throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
    }
    const text = await response.text();
    let data: unknown;
    try {
        data = text === '' ? undefined : JSON.parse(text);
    } catch {
        data = undefined;
    }
    if (response.ok) {
        if (data === undefined) {
            throw new ApiError(response.status, 'unexpected', 'The server sent an answer the sidebar does not understand.');
        }
        return data as T;
    }
    const err = (typeof data === 'object' && data !== null ? data : {}) as ErrorBody;
    const code = err.error !== undefined && knownCodes.has(err.error) ? err.error as ApiErrorCode : codeForStatus(response.status);
    const message = err.message ?? `The server answered ${String(response.status)}.`;
    throw new ApiError(response.status, code, message, err.field, err.current);
}

export const DEFAULT_PAGE_SIZE = 50;

function query(params: Record<string, string | number | undefined>): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
        if (v !== undefined && v !== '' && v !== 0) {
            q.set(k, String(v));
        }
    }
    const s = q.toString();
    return s === '' ? '' : '?' + s;
}

// The researcher's own reports, newest first.
export function fetchMine(cursor = 0, limit = DEFAULT_PAGE_SIZE): Promise<ReportPage> {
    return request('GET', pluginApiUrl('/reports/mine' + query({cursor, limit})));
}

// The team's queue of open reports. "me" is the current user's id; the server
// answers 403 forbidden to anyone outside the security team.
export function fetchQueue(filters: QueueFilters, currentUserId: string, cursor = 0, limit = DEFAULT_PAGE_SIZE): Promise<ReportPage> {
    let assignee: string | undefined;
    if (filters.assignee === 'me') {
        assignee = currentUserId;
    } else if (filters.assignee === 'none') {
        assignee = 'none';
    }
    return request('GET', pluginApiUrl('/reports/queue' + query({
        status: filters.status,
        assignee,
        severity: filters.severity,
        order: filters.order,
        cursor,
        limit,
    })));
}

export function fetchReport(reportId: number): Promise<ReportView> {
    return request('GET', pluginApiUrl(`/reports/${String(reportId)}`));
}

// Acts on a report as the current user. version is the version the user saw:
// the server answers 409 conflict, with the current report, when it changed.
export function postAction(reportId: number, action: ActionName, version: number, input: ActionInput = {}): Promise<ReportView> {
    return request('POST', pluginApiUrl(`/reports/${String(reportId)}/actions/${action}`), {version, ...input});
}

export interface UserSummary {
    id: string;
    username: string;
}

// Usernames for ids, for the assignee and the timeline's actors.
export async function fetchUsersByIds(ids: string[]): Promise<UserSummary[]> {
    const users = await request<UserSummary[]>('POST', `${Client4.getUrl()}/api/v4/users/ids`, ids);
    return users.map((u) => ({id: u.id, username: u.username}));
}

// One user by username, to reassign a report.
export async function fetchUserByUsername(username: string): Promise<UserSummary> {
    const u = await request<UserSummary>('GET', `${Client4.getUrl()}/api/v4/users/username/${encodeURIComponent(username)}`);
    return {id: u.id, username: u.username};
}
