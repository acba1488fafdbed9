import React from 'react';

import {loadMine, openReport} from '../store/actions';
import {getMine} from '../store/selectors';
import type {ReportView} from '../types/reports';

import {Empty, ErrorState, ListFooter, Loading, StatusBadge} from './common';
import {fullDate, relativeTime} from './format';
import {useAppDispatch, useAppSelector, useNow} from './hooks';
import {followInApp, permalinkPath, permalinkUrl} from './links';

function MyReportRow({report, now}: {report: ReportView; now: number}) {
    const dispatch = useAppDispatch();
    return (
        <li
            className='rd-row'
            data-testid='rd-mine-row'
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
                    <span title={fullDate(report.updated)}>{'Updated ' + relativeTime(report.updated, now)}</span>
                </span>
            </button>
            {report.thread_post_id && (
                <div className='rd-row-links'>
                    <a
                        href={permalinkUrl(report.thread_post_id)}
                        onClick={(e) => {
                            followInApp(e, permalinkPath(report.thread_post_id ?? ''));
                        }}
                    >
                        {'Open the conversation'}
                        <span className='rd-visually-hidden'>{` about ${report.key}`}</span>
                    </a>
                </div>
            )}
        </li>
    );
}

// A researcher's own reports, newest first, with where each stands.
export default function MyReports() {
    const dispatch = useAppDispatch();
    const mine = useAppSelector(getMine);
    const now = useNow();

    let body: React.ReactNode;
    if (mine.status === 'loading' || mine.status === 'idle') {
        body = <Loading label='Loading your reports…'/>;
    } else if (mine.status === 'error') {
        body = (
            <ErrorState
                message={`Your reports could not be loaded. ${mine.error ?? ''}`}
                onRetry={() => {
                    void dispatch(loadMine());
                }}
            />
        );
    } else if (mine.reports.length === 0) {
        body = (
            <Empty>
                <p>{'You have not reported a vulnerability yet.'}</p>
                <p>{'Use "Report a vulnerability" to file one privately: only the security team sees it.'}</p>
            </Empty>
        );
    } else {
        body = (
            <ul
                className='rd-list'
                aria-label='Your reports'
            >
                {mine.reports.map((r) => (
                    <MyReportRow
                        key={r.id}
                        report={r}
                        now={now}
                    />
                ))}
            </ul>
        );
    }
    return (
        <div data-testid='rd-mine'>
            {body}
            <ListFooter
                list={mine}
                what='Your reports'
                onRefresh={() => {
                    void dispatch(loadMine('refresh'));
                }}
                onMore={() => {
                    void dispatch(loadMine('append'));
                }}
            />
        </div>
    );
}
