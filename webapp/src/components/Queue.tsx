import React from 'react';

import {changeFilters, loadQueue, openReport} from '../store/actions';
import {getFilters, getMyUserId, getQueue, getUserLabel} from '../store/selectors';
import type {ReportView} from '../types/reports';

import {Empty, ErrorState, ListFooter, Loading, StatusBadge} from './common';
import {age, fullDate} from './format';
import {useAppDispatch, useAppSelector, useNow} from './hooks';
import QueueFilters from './QueueFilters';

function Assignee({report}: {report: ReportView}) {
    const me = useAppSelector(getMyUserId);
    const label = useAppSelector((s) => (report.assignee_id ? getUserLabel(s, report.assignee_id) : ''));
    if (!report.assignee_id) {
        return <span>{'Unassigned'}</span>;
    }
    return <span>{report.assignee_id === me ? 'Assigned to you' : `Assigned to ${label}`}</span>;
}

function QueueRow({report, now}: {report: ReportView; now: number}) {
    const dispatch = useAppDispatch();
    return (
        <li
            className='rd-row'
            data-testid='rd-queue-row'
            data-report-key={report.key}
        >
            <button
                type='button'
                className='rd-row-main'
                data-report-id={report.id}
                onClick={() => {
                    void dispatch(openReport(report.id));
                }}
            >
                <span className='rd-row-title'>
                    <span className='rd-key'>{report.key}</span>{' '}{report.title}
                </span>
                <span className='rd-row-meta'>
                    <StatusBadge
                        status={report.status}
                        label={report.status_label}
                    />
                    <span className={`rd-sev-${report.rating ?? 'none'}`}>{report.severity}</span>
                    <Assignee report={report}/>
                    <span title={'Filed ' + fullDate(report.created)}>{'Waiting ' + age(report.created, now)}</span>
                </span>
            </button>
        </li>
    );
}

// The security team's queue: open reports, filtered and ordered by the server.
export default function Queue() {
    const dispatch = useAppDispatch();
    const queue = useAppSelector(getQueue);
    const filters = useAppSelector(getFilters);
    const now = useNow();
    const filtered = filters.status !== '' || filters.assignee !== 'all' || filters.severity !== '';

    let body: React.ReactNode = null;
    if (queue.status === 'loading' || queue.status === 'idle') {
        body = <Loading label='Loading the queue…'/>;
    } else if (queue.status === 'error') {
        body = (
            <ErrorState
                message={`The queue could not be loaded. ${queue.error ?? ''}`}
                onRetry={() => {
                    void dispatch(loadQueue());
                }}
            />
        );
    } else if (queue.reports.length === 0) {
        body = (
            <Empty>
                <p>{filtered ? 'No open reports match these filters.' : 'No open reports. New reports appear here as they arrive.'}</p>
            </Empty>
        );
    } else {
        body = (
            <ul
                className='rd-list'
                aria-label='Open reports'
            >
                {queue.reports.map((r) => (
                    <QueueRow
                        key={r.id}
                        report={r}
                        now={now}
                    />
                ))}
            </ul>
        );
    }

    return (
        <div data-testid='rd-queue'>
            <QueueFilters
                filters={filters}
                onChange={(f) => {
                    void dispatch(changeFilters(f));
                }}
            />
            {body}
            <ListFooter
                list={queue}
                what='The queue'
                onRefresh={() => {
                    void dispatch(loadQueue('refresh'));
                }}
                onMore={() => {
                    void dispatch(loadQueue('append'));
                }}
            />
        </div>
    );
}
