import React, {useRef, useState} from 'react';

import {performAction} from '../store/actions';
import {getActionState} from '../store/selectors';
import {ACTION_META, ACTION_ORDER} from '../types/action_meta';
import type {ActionInput, ActionName, ReportView} from '../types/reports';

import ActionForm, {actionFields} from './ActionForm';
import {useAppDispatch, useAppSelector} from './hooks';

// ActionBar shows the actions the server allows on the report now. Actions
// that need input open a small form; the others act at once. The server
// decides again, with the version the user saw.
export default function ActionBar({report, onFormDone}: {report: ReportView; onFormDone?: () => void}) {
    const dispatch = useAppDispatch();
    const state = useAppSelector(getActionState);
    const [open, setOpen] = useState<ActionName | null>(null);
    const buttons = useRef<Partial<Record<ActionName, HTMLButtonElement | null>>>({});
    const allowed = ACTION_ORDER.filter((a) => report.actions?.includes(a));

    // A form for an action the report no longer allows (it changed under the
    // user) closes by itself.
    const openAction = open !== null && allowed.includes(open) ? open : null;

    const close = (a: ActionName) => {
        setOpen(null);
        buttons.current[a]?.focus();
    };
    const act = async (a: ActionName, input?: ActionInput) => {
        const done = await dispatch(performAction(a, input));
        if (done && actionFields(a).length > 0) {
            setOpen(null);

            // The form is gone: the focus goes back to its button, or, when
            // the report no longer allows that action, to the report.
            setTimeout(() => {
                const button = buttons.current[a];
                if (button?.isConnected) {
                    button.focus();
                } else {
                    onFormDone?.();
                }
            }, 0);
        }
    };

    // Field errors show next to their field in the form; the rest here.
    const formError = state.error?.field && openAction !== null && actionFields(openAction).some((f) => f.name === state.error?.field);
    return (
        <div data-testid='rd-actions'>
            {allowed.length > 0 && (
                <div
                    className='rd-actions'
                    role='group'
                    aria-label={`Actions on ${report.key}`}
                >
                    {allowed.map((a) => {
                        const needsForm = actionFields(a).length > 0;
                        return (
                            <button
                                key={a}
                                type='button'
                                ref={(el) => {
                                    buttons.current[a] = el;
                                }}
                                className={`rd-btn ${a === 'take' && !report.assignee_id ? 'rd-btn-primary' : 'rd-btn-secondary'}`}
                                // aria-disabled, not disabled: the focus stays on
                                // the button while the action runs.
                                aria-disabled={state.pending !== null}
                                aria-expanded={needsForm ? openAction === a : undefined}
                                onClick={() => {
                                    if (state.pending !== null) {
                                        return;
                                    }
                                    if (needsForm) {
                                        setOpen(openAction === a ? null : a);
                                    } else {
                                        setOpen(null);
                                        void act(a);
                                    }
                                }}
                            >
                                {state.pending === a && !needsForm ? 'Sending…' : ACTION_META[a].label}
                            </button>
                        );
                    })}
                </div>
            )}
            {openAction !== null && (
                <ActionForm
                    key={openAction}
                    action={openAction}
                    report={report}
                    pending={state.pending !== null}
                    error={formError ? state.error : null}
                    onSubmit={(input) => {
                        void act(openAction, input);
                    }}
                    onCancel={() => {
                        close(openAction);
                    }}
                />
            )}
            {state.error && !formError && (
                <div
                    className='rd-alert'
                    role='alert'
                    data-testid='rd-action-error'
                >
                    {state.error.message}
                </div>
            )}
            {state.notice && (
                <div
                    className='rd-notice'
                    role='status'
                >
                    {state.notice}
                </div>
            )}
        </div>
    );
}
