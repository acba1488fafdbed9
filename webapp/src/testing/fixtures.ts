import type {ReportView} from '../types/reports';

// A report as the server's TeamView renders it (server/service/views.go).
export function teamReport(overrides: Partial<ReportView> = {}): ReportView {
    const id = overrides.id ?? 7;
    return {
        id,
        key: `SEC-${String(id)}`,
        title: 'Stored XSS in the channel header',
        product: 'Server',
        severity: 'High (estimated)',
        rating: 'high',
        status: 'submitted',
        status_label: 'Submitted',
        created: '2026-01-10T10:00:00Z',
        updated: '2026-01-10T10:00:00Z',
        version: 1,
        thread_post_id: 'threadpost1',
        card_post_id: 'cardpost1',
        reporter_id: 'reporter-1',
        description: 'The channel header renders raw HTML.',
        steps: '1. Set a header.',
        impact: 'Session takeover.',
        affected_versions: '11.4.0',
        actions: ['take', 'close', 'reassign', 'message'],
        timeline: [{at: '2026-01-10T10:00:00Z', action: 'submit', summary: 'submit by the reporter', to: 'submitted', actor_id: 'reporter-1'}],
        ...overrides,
    };
}

// The same report as its reporter sees it (ReporterView): no team fields.
export function reporterReport(overrides: Partial<ReportView> = {}): ReportView {
    const id = overrides.id ?? 7;
    return {
        id,
        key: `SEC-${String(id)}`,
        title: 'Stored XSS in the channel header',
        product: 'Server',
        severity: 'High (estimated)',
        rating: 'high',
        status: 'submitted',
        status_label: 'Submitted',
        created: '2026-01-10T10:00:00Z',
        updated: '2026-01-10T10:00:00Z',
        version: 1,
        thread_post_id: 'threadpost1',
        timeline: [{at: '2026-01-10T10:00:00Z', action: 'submit', summary: 'You filed the report', to: 'submitted'}],
        ...overrides,
    };
}
