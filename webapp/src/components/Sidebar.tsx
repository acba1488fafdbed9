import React, {useEffect, useRef, useState} from 'react';

import {openReportDialog} from '../actions/report';
import {initSidebar, selectTab} from '../store/actions';
import {getDetail, getQueue, getRole, getTab} from '../store/selectors';
import type {AppThunk} from '../store/types';

import {ErrorState, Loading} from './common';
import {useAppDispatch, useAppSelector} from './hooks';
import MyReports from './MyReports';
import Queue from './Queue';
import ReportDetail from './ReportDetail';

export const REPORT_BUTTON_TEXT = 'Report a vulnerability';

// The right-hand sidebar "Security reports". The security team sees its queue
// (and its own reports); everyone else their own reports. Filing is one click
// away: the button runs /security report, which opens the server's form.
export default function Sidebar() {
    const dispatch = useAppDispatch();
    const role = useAppSelector(getRole);
    const tab = useAppSelector(getTab);
    const queue = useAppSelector(getQueue);
    const detail = useAppSelector(getDetail);
    const [fileError, setFileError] = useState('');
    const root = useRef<HTMLDivElement>(null);
    const lastOpened = useRef<number | null>(null);

    useEffect(() => {
        void dispatch(initSidebar());
    }, [dispatch]);

    // Back from a report, the focus returns to its row.
    useEffect(() => {
        if (detail.id !== null) {
            lastOpened.current = detail.id;
            return;
        }
        if (lastOpened.current !== null) {
            root.current?.querySelector<HTMLElement>(`[data-report-id="${String(lastOpened.current)}"]`)?.focus();
            lastOpened.current = null;
        }
    }, [detail.id]);

    const fileReport = async () => {
        setFileError('');
        const result = await dispatch(openReportDialog() as unknown as AppThunk<Promise<{error?: {message?: string}}>>);
        if (result.error) {
            setFileError(`The report form could not be opened. ${result.error.message ?? ''}`);
        }
    };

    let body: React.ReactNode;
    if (detail.id !== null) {
        body = <ReportDetail backLabel={tab === 'queue' && role === 'triager' ? 'Back to the queue' : 'Back to your reports'}/>;
    } else if (role === 'unknown') {
        body = queue.status === 'error' ? (
            <ErrorState
                message={`Your reports could not be loaded. ${queue.error ?? ''}`}
                onRetry={() => {
                    void dispatch(initSidebar());
                }}
            />
        ) : <Loading label='Loading reports…'/>;
    } else if (role === 'triager' && tab === 'queue') {
        body = <Queue/>;
    } else {
        body = <MyReports/>;
    }

    return (
        <div
            className='rd-sidebar'
            ref={root}
            data-testid='rd-sidebar'
        >
            <div className='rd-toolbar'>
                {role === 'triager' ? (
                    <div
                        className='rd-tabs'
                        role='group'
                        aria-label='Show'
                    >
                        <button
                            type='button'
                            className='rd-btn rd-btn-tertiary'
                            aria-pressed={tab === 'queue'}
                            onClick={() => {
                                void dispatch(selectTab('queue'));
                            }}
                        >
                            {'Queue'}
                        </button>
                        <button
                            type='button'
                            className='rd-btn rd-btn-tertiary'
                            aria-pressed={tab === 'mine'}
                            onClick={() => {
                                void dispatch(selectTab('mine'));
                            }}
                        >
                            {'My reports'}
                        </button>
                    </div>
                ) : <span className='rd-toolbar-title'>{'Your reports'}</span>}
                <button
                    type='button'
                    className='rd-btn rd-btn-primary'
                    onClick={() => {
                        void fileReport();
                    }}
                >
                    {REPORT_BUTTON_TEXT}
                </button>
            </div>
            {fileError && (
                <ErrorState message={fileError}/>
            )}
            {body}
        </div>
    );
}
