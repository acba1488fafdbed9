// The shapes of the plugin's REST API (server/service/views.go, pages.go and
// server/api/rest.go), as the sidebar reads and sends them.

export type Status =
    | 'submitted'
    | 'triaging'
    | 'needs_info'
    | 'confirmed'
    | 'fixed'
    | 'disclosed'
    | 'duplicate'
    | 'not_applicable'
    | 'informative';

// The statuses the team's queue holds: open reports only.
export const OPEN_STATUSES: readonly Status[] = ['submitted', 'triaging', 'needs_info', 'confirmed'];

export const STATUS_LABELS: Readonly<Record<Status, string>> = {
    submitted: 'Submitted',
    triaging: 'Triaging',
    needs_info: 'Needs information',
    confirmed: 'Confirmed',
    fixed: 'Fixed',
    disclosed: 'Disclosed',
    duplicate: 'Closed as duplicate',
    not_applicable: 'Closed as not applicable',
    informative: 'Closed as informative',
};

export type Rating = 'none' | 'low' | 'medium' | 'high' | 'critical';

export const RATINGS: readonly Rating[] = ['low', 'medium', 'high', 'critical'];

// What a triager may do to a report through the REST API.
export type ActionName = 'take' | 'ask' | 'confirm' | 'fix' | 'disclose' | 'close' | 'reopen' | 'reassign' | 'message' | 'advisory';

export type Resolution = 'duplicate' | 'not_applicable' | 'informative';

export interface FixedVersion {
    ver: string;
    date?: string;
}

export interface TimelineEntry {
    at: string;
    action: string;
    summary: string;
    from?: Status;
    to: Status;

    // Team-only fields.
    actor_id?: string;
    note?: string;
    detail?: string;
}

export interface ReportView {
    id: number;
    key: string;
    title: string;
    product: string;
    severity: string;
    rating?: Rating;
    status: Status;
    status_label: string;
    created: string;
    updated: string;
    fixed_in?: FixedVersion[];
    version: number;
    thread_post_id?: string;
    card_post_id?: string;
    reporter_id?: string;
    assignee_id?: string;
    description?: string;
    steps?: string;
    impact?: string;
    affected_versions?: string;

    // The description is an armored PGP message, to copy and decrypt with
    // the team's key.
    encrypted?: boolean;

    // The actions a triager may take now; absent for the reporter's view.
    actions?: ActionName[];
    timeline: TimelineEntry[] | null;

    // How many replies and messages the timeline no longer holds, in words.
    earlier?: string;
}

export interface ReportPage {
    reports: ReportView[];

    // The cursor of the next page; 0 at the end.
    next_cursor: number;
}

export type AssigneeFilter = 'all' | 'me' | 'none';
export type QueueOrder = 'oldest' | 'newest';

export interface QueueFilters {
    status: Status | '';
    assignee: AssigneeFilter;
    severity: Rating | '';
    order: QueueOrder;
}

// The body of POST .../actions/{action}, less the version.
export interface ActionInput {
    note?: string;
    assignee?: string;
    resolution?: Resolution;
    duplicate_of?: string;
    cvss?: string;
    estimate?: Rating | '';
    fixed_in?: string;
    advisory_id?: string;
    cve_id?: string;
    public_title?: string;
    public_summary?: string;
    public_affected?: string;
    disclose_on?: string;
}

// The websocket event's data (server/notify/publish.go).
export interface ReportChangedData {
    report_id: number;
    status: Status;
    version: number;
}
