import React from 'react';

import {STATUS_LABELS} from '../types/reports';
import type {ListState} from '../store/types';
import type {Status} from '../types/reports';

export function StatusBadge({status, label}: {status: Status; label?: string}) {
    return (
        <span
            className={`rd-badge rd-badge-${status}`}
            data-testid='rd-status'
        >
            {label ?? STATUS_LABELS[status]}
        </span>
    );
}

export function Loading({label = 'Loading…'}: {label?: string}) {
    return (
        <div
            className='rd-state'
            role='status'
        >
            {label}
        </div>
    );
}

export function Empty({children}: {children: React.ReactNode}) {
    return (
        <div className='rd-state'>
            {children}
        </div>
    );
}

export function ErrorState({message, onRetry}: {message: string; onRetry?: () => void}) {
    return (
        <div
            className='rd-alert'
            role='alert'
        >
            <p>{message}</p>
            {onRetry && (
                <button
                    type='button'
                    className='rd-btn rd-btn-secondary'
                    onClick={onRetry}
                >
                    {'Try again'}
                </button>
            )}
        </div>
    );
}

// A shield, the plugin's icon, for the channel header. It takes the color of
// the text around it, as the header's own icons do.
// ListFooter is what follows a loaded list: an error from its last refresh, with
// a retry, and a button that loads the next page while there is one.
export function ListFooter({list, what, onRefresh, onMore}: {list: ListState; what: string; onRefresh: () => void; onMore: () => void}) {
    if (list.status !== 'loaded') {
        return null;
    }
    return (
        <>
            {list.error && (
                <ErrorState
                    message={`${what} could not be updated. ${list.error}`}
                    onRetry={onRefresh}
                />
            )}
            {list.next > 0 && (
                <div className='rd-section'>
                    <button
                        type='button'
                        className='rd-btn rd-btn-secondary'
                        disabled={list.loadingMore}
                        onClick={onMore}
                    >
                        {list.loadingMore ? 'Loading…' : 'Load more'}
                    </button>
                </div>
            )}
        </>
    );
}

export function ShieldIcon({size = 18}: {size?: number}) {
    return (
        <svg
            width={size}
            height={size}
            viewBox='0 0 24 24'
            aria-hidden='true'
            focusable='false'
        >
            <path
                fill='currentColor'
                d='M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3zm0 2.2 6 2.2V11c0 4-2.6 7.8-6 8.9-3.4-1.1-6-4.9-6-8.9V6.4l6-2.2zM11 7v6h2V7h-2zm0 8v2h2v-2h-2z'
            />
        </svg>
    );
}
