import React, {useId} from 'react';

import {OPEN_STATUSES, RATINGS, STATUS_LABELS} from '../types/reports';
import type {AssigneeFilter, QueueFilters as Filters, QueueOrder, Rating, Status} from '../types/reports';

const ratingLabel = (r: Rating) => r[0].toUpperCase() + r.slice(1);

interface Props {
    filters: Filters;
    onChange: (filters: Filters) => void;
    disabled?: boolean;
}

// The queue's filters: each change reloads the queue from the server, which
// filters over its indexes (never a page filtered after the fact).
export default function QueueFilters({filters, onChange, disabled = false}: Props) {
    const id = useId();
    return (
        <form
            className='rd-filters'
            aria-label='Filter the queue'
            onSubmit={(e) => {
                e.preventDefault();
            }}
        >
            <label
                className='rd-field'
                htmlFor={id + 'status'}
            >
                {'Status'}
                <select
                    id={id + 'status'}
                    value={filters.status}
                    disabled={disabled}
                    onChange={(e) => {
                        onChange({...filters, status: e.target.value as Status | ''});
                    }}
                >
                    <option value=''>{'All open'}</option>
                    {OPEN_STATUSES.map((s) => (
                        <option
                            key={s}
                            value={s}
                        >
                            {STATUS_LABELS[s]}
                        </option>
                    ))}
                </select>
            </label>
            <label
                className='rd-field'
                htmlFor={id + 'assignee'}
            >
                {'Assignee'}
                <select
                    id={id + 'assignee'}
                    value={filters.assignee}
                    disabled={disabled}
                    onChange={(e) => {
                        onChange({...filters, assignee: e.target.value as AssigneeFilter});
                    }}
                >
                    <option value='all'>{'Anyone'}</option>
                    <option value='me'>{'Me'}</option>
                    <option value='none'>{'Unassigned'}</option>
                </select>
            </label>
            <label
                className='rd-field'
                htmlFor={id + 'severity'}
            >
                {'Severity'}
                <select
                    id={id + 'severity'}
                    value={filters.severity}
                    disabled={disabled}
                    onChange={(e) => {
                        onChange({...filters, severity: e.target.value as Rating | ''});
                    }}
                >
                    <option value=''>{'Any'}</option>
                    {RATINGS.map((r) => (
                        <option
                            key={r}
                            value={r}
                        >
                            {ratingLabel(r)}
                        </option>
                    ))}
                </select>
            </label>
            <label
                className='rd-field'
                htmlFor={id + 'order'}
            >
                {'Order'}
                <select
                    id={id + 'order'}
                    value={filters.order}
                    disabled={disabled}
                    onChange={(e) => {
                        onChange({...filters, order: e.target.value as QueueOrder});
                    }}
                >
                    <option value='oldest'>{'Oldest first'}</option>
                    <option value='newest'>{'Newest first'}</option>
                </select>
            </label>
        </form>
    );
}
