import React, {useEffect, useRef, useState} from 'react';

import {closeReport, loadDetail} from '../store/actions';
import {getDetail, getMyUserId, getUserLabel} from '../store/selectors';
import type {ReportView, TimelineEntry} from '../types/reports';

import ActionBar from './ActionBar';
import {ErrorState, Loading, StatusBadge} from './common';
import {fullDate, relativeTime} from './format';
import {useAppDispatch, useAppSelector, useNow} from './hooks';
import {followInApp, permalinkPath, permalinkUrl} from './links';

function UserName({userId}: {userId: string}) {
    const label = useAppSelector((s) => getUserLabel(s, userId));
    return <>{label}</>;
}

function Timeline({entries, earlier, now}: {entries: TimelineEntry[]; earlier?: string; now: number}) {
    if (entries.length === 0) {
        return null;
    }
    return (
        <>
            <h4 className='rd-subtitle'>{'History'}</h4>
            <ol
                className='rd-timeline'
                data-testid='rd-timeline'
            >
                {entries.map((e, i) => (
                    <li key={i}>
                        <time
                            dateTime={e.at}
                            title={fullDate(e.at)}
                        >
                            {relativeTime(e.at, now)}
                        </time>
                        <span>{e.summary}</span>
                        {e.actor_id && (
                            <span>{' — '}<UserName userId={e.actor_id}/></span>
                        )}
                        {e.detail && <div>{e.detail}</div>}
                        {e.note && <pre className='rd-text'>{e.note}</pre>}
                    </li>
                ))}
                {earlier && <li data-testid='rd-timeline-earlier'>{earlier}</li>}
            </ol>
        </>
    );
}

function Text({title, text}: {title: string; text?: string}) {
    if (!text) {
        return null;
    }
    return (
        <>
            <h4 className='rd-subtitle'>{title}</h4>
            <pre className='rd-text'>{text}</pre>
        </>
    );
}

// Encrypted shows a description that is an armored PGP message as it came,
// with a button that copies it whole, to decrypt where the team key is.
function Encrypted({text}: {text: string}) {
    const [copied, setCopied] = useState(false);

    // Browsers offer the clipboard only to pages served over HTTPS (or from
    // localhost); elsewhere the block below is there to select and copy.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    return (
        <>
            <h4 className='rd-subtitle'>{'Description'}</h4>
            <p data-testid='rd-encrypted'>{'🔒 Encrypted with the team key: copy the armored message and decrypt it with the team\'s private key.'}</p>
            {clipboard && (
                <button
                    type='button'
                    className='btn btn-tertiary btn-sm'
                    onClick={() => {
                        void clipboard.writeText(text).then(() => {
                            setCopied(true);
                        });
                    }}
                >
                    {copied ? 'Copied' : 'Copy the armored message'}
                </button>
            )}
            <pre className='rd-text'>{text}</pre>
        </>
    );
}

function PostLink({postId, children}: {postId: string; children: React.ReactNode}) {
    return (
        <a
            href={permalinkUrl(postId)}
            onClick={(e) => {
                followInApp(e, permalinkPath(postId));
            }}
        >
            {children}
        </a>
    );
}

function Facts({report}: {report: ReportView}) {
    const me = useAppSelector(getMyUserId);
    const team = report.reporter_id !== undefined;
    let assignee: React.ReactNode = 'Nobody yet';
    if (report.assignee_id) {
        assignee = report.assignee_id === me ? 'You' : <UserName userId={report.assignee_id}/>;
    }
    return (
        <dl className='rd-facts'>
            <dt>{'Severity'}</dt>
            <dd className={`rd-sev-${report.rating ?? 'none'}`}>{report.severity}</dd>
            <dt>{'Product'}</dt>
            <dd>{report.product}</dd>
            {team && report.reporter_id && (
                <>
                    <dt>{'Reporter'}</dt>
                    <dd><UserName userId={report.reporter_id}/></dd>
                    <dt>{'Assignee'}</dt>
                    <dd data-testid='rd-assignee'>{assignee}</dd>
                </>
            )}
            <dt>{'Filed'}</dt>
            <dd>{fullDate(report.created)}</dd>
            <dt>{'Last update'}</dt>
            <dd>{fullDate(report.updated)}</dd>
            {report.affected_versions && (
                <>
                    <dt>{'Affected'}</dt>
                    <dd>{report.affected_versions}</dd>
                </>
            )}
            {report.fixed_in && report.fixed_in.length > 0 && (
                <>
                    <dt>{'Fixed in'}</dt>
                    <dd>{report.fixed_in.map((v) => (v.date ? `${v.ver} (${v.date})` : v.ver)).join(', ')}</dd>
                </>
            )}
        </dl>
    );
}

// One report: its facts, what it says (for the team), the actions allowed
// now (for the team) and its history as the viewer may see it.
export default function ReportDetail({backLabel}: {backLabel: string}) {
    const dispatch = useAppDispatch();
    const detail = useAppSelector(getDetail);
    const now = useNow();
    const heading = useRef<HTMLHeadingElement>(null);
    const report = detail.report;
    const shownId = report?.id;

    // Move the focus to the report when it opens, so keyboard and screen
    // reader users land on what they asked for.
    useEffect(() => {
        heading.current?.focus();
    }, [shownId]);

    const team = report?.reporter_id !== undefined;
    return (
        <div
            className='rd-detail rd-section'
            data-testid='rd-detail'
        >
            <button
                type='button'
                className='rd-btn rd-btn-tertiary rd-back'
                onClick={() => dispatch(closeReport())}
            >
                {'← ' + backLabel}
            </button>
            {detail.status === 'error' && (
                <ErrorState
                    message={`The report could not be loaded. ${detail.error ?? ''}`}
                    onRetry={detail.id === null ? undefined : () => {
                        void dispatch(loadDetail(detail.id ?? 0));
                    }}
                />
            )}
            {!report && detail.status === 'loading' && <Loading label='Loading the report…'/>}
            {report && (
                <>
                    <div className='rd-key'>{report.key}</div>
                    <h3
                        ref={heading}
                        tabIndex={-1}
                    >
                        {report.title}
                    </h3>
                    <StatusBadge
                        status={report.status}
                        label={report.status_label}
                    />
                    <Facts report={report}/>
                    <div className='rd-row-links'>
                        {!team && report.thread_post_id && <PostLink postId={report.thread_post_id}>{'Open the conversation'}</PostLink>}
                        {team && report.card_post_id && <PostLink postId={report.card_post_id}>{'Open the card'}</PostLink>}
                    </div>
                    {team && (
                        <ActionBar
                            report={report}
                            onFormDone={() => heading.current?.focus()}
                        />
                    )}
                    {report.encrypted && report.description ? (
                        <Encrypted text={report.description}/>
                    ) : (
                        <Text
                            title='Description'
                            text={report.description}
                        />
                    )}
                    <Text
                        title='Steps to reproduce'
                        text={report.steps}
                    />
                    <Text
                        title='Impact'
                        text={report.impact}
                    />
                    <Timeline
                        entries={[...(report.timeline ?? [])].reverse()}
                        earlier={report.earlier}
                        now={now}
                    />
                </>
            )}
        </div>
    );
}
