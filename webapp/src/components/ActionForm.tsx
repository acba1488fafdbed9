import React, {useEffect, useId, useRef, useState} from 'react';

import type {ActionError} from '../store/types';
import {ACTION_META} from '../types/action_meta';
import {RATINGS} from '../types/reports';
import type {ActionInput, ActionName, Rating, Resolution, ReportView} from '../types/reports';

type Values = Record<keyof ActionInput, string>;

interface FieldSpec {
    name: keyof ActionInput;
    label: string;
    kind: 'text' | 'textarea' | 'select';
    required?: boolean;
    hint?: string;
    options?: {value: string; label: string}[];

    // Shown only when another field has a value (duplicate_of for duplicates).
    when?: (v: Values) => boolean;
}

const ratingOptions = [{value: '', label: 'Keep the current severity'}, ...RATINGS.map((r: Rating) => ({value: r, label: r[0].toUpperCase() + r.slice(1)}))];

const resolutions: {value: Resolution; label: string}[] = [
    {value: 'duplicate', label: 'Duplicate'},
    {value: 'not_applicable', label: 'Not applicable'},
    {value: 'informative', label: 'Informative'},
];

// The public advisory's fields, written for the public; empty ones keep what is there.
const advisoryFields: FieldSpec[] = [
    {name: 'public_title', label: 'Public title (optional)', kind: 'text'},
    {name: 'public_summary', label: 'Public summary (optional)', kind: 'textarea'},
    {name: 'public_affected', label: 'Affected versions (optional)', kind: 'text'},
    {name: 'disclose_on', label: 'Disclosure date (optional)', kind: 'text', hint: 'YYYY-MM-DD; earlier publishes early, later postpones'},
];

// The input each action needs, named as the REST API names it, so the
// server's field errors land on the right input.
const FIELDS: Partial<Record<ActionName, FieldSpec[]>> = {
    ask: [{name: 'note', label: 'Question for the reporter', kind: 'textarea', required: true}],
    message: [{name: 'note', label: 'Message to the reporter', kind: 'textarea', required: true}],
    confirm: [
        {name: 'cvss', label: 'CVSS 3.1 vector (optional)', kind: 'text', hint: 'For example CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'},
        {name: 'estimate', label: 'Severity without a vector (optional)', kind: 'select', options: ratingOptions},
    ],
    fix: [
        {name: 'fixed_in', label: 'Fixed in', kind: 'text', required: true, hint: 'Releases with the fix, for example 11.5.1 (2026-02-10), 11.4.3'},
        {name: 'advisory_id', label: 'Advisory id (optional)', kind: 'text', hint: 'Empty: the next MMSA id'},
        {name: 'cve_id', label: 'CVE id (optional)', kind: 'text'},
        ...advisoryFields,
    ],
    advisory: [
        {name: 'advisory_id', label: 'Advisory id (optional)', kind: 'text'},
        {name: 'cve_id', label: 'CVE id (optional)', kind: 'text'},
        {name: 'cvss', label: 'CVSS 3.1 vector (optional)', kind: 'text'},
        ...advisoryFields,
    ],
    close: [
        {name: 'resolution', label: 'Close as', kind: 'select', required: true, options: [{value: '', label: 'Choose…'}, ...resolutions]},
        {name: 'duplicate_of', label: 'Duplicate of', kind: 'text', required: true, hint: 'A report id, for example SEC-12', when: (v) => v.resolution === 'duplicate'},
        {name: 'note', label: 'Note for the reporter (optional)', kind: 'textarea'},
    ],
    reassign: [{name: 'assignee', label: 'Reassign to', kind: 'text', required: true, hint: 'A username, for example @alice'}],
};

export function actionFields(action: ActionName): FieldSpec[] {
    return FIELDS[action] ?? [];
}

interface Props {
    action: ActionName;
    report: ReportView;
    pending: boolean;

    // The server's answer to the last try, when it names a field of this form.
    error: ActionError | null;
    onSubmit: (input: ActionInput) => void;
    onCancel: () => void;
}

// ActionForm asks for what an action needs before it is sent. The first field
// takes the focus; Escape or Cancel closes the form.
export default function ActionForm({action, report, pending, error, onSubmit, onCancel}: Props) {
    const id = useId();
    const [values, setValues] = useState<Partial<Values>>({});
    const [missing, setMissing] = useState<Set<string>>(new Set());
    const first = useRef<HTMLElement | null>(null);
    const fields = actionFields(action).filter((f) => !f.when || f.when(values as Values));

    useEffect(() => {
        first.current?.focus();
    }, [action]);

    const submit = (e: React.FormEvent) => {
        e.preventDefault();
        const empty = new Set(fields.filter((f) => f.required && !(values[f.name] ?? '').trim()).map((f) => f.name));
        setMissing(empty);
        if (empty.size > 0) {
            return;
        }
        const input: Record<string, string> = {};
        for (const f of fields) {
            const v = (values[f.name] ?? '').trim();
            if (v !== '') {
                input[f.name] = v;
            }
        }
        onSubmit(input);
    };

    const title = `${ACTION_META[action].label}: ${report.key}`;
    return (
        <form
            className='rd-form'
            aria-label={title}
            onSubmit={submit}
            onKeyDown={(e) => {
                if (e.key === 'Escape') {
                    e.stopPropagation();
                    onCancel();
                }
            }}
            noValidate={true}
        >
            {fields.map((f, i) => {
                const fieldId = `${id}-${f.name}`;
                let message = '';
                if (missing.has(f.name)) {
                    message = 'This is required.';
                } else if (error?.field === f.name) {
                    message = error.message;
                }
                const describedBy = [f.hint ? fieldId + '-hint' : '', message ? fieldId + '-error' : ''].filter(Boolean).join(' ') || undefined;
                const common = {
                    id: fieldId,
                    name: f.name,
                    value: values[f.name] ?? '',
                    required: f.required,
                    disabled: pending,
                    'aria-invalid': message ? true : undefined,
                    'aria-describedby': describedBy,
                    ref: i === 0 ? (el: HTMLElement | null) => {
                        first.current = el;
                    } : undefined,
                    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
                        setValues({...values, [f.name]: e.target.value});
                    },
                };
                let control: React.ReactNode;
                if (f.kind === 'textarea') {
                    control = <textarea {...common}/>;
                } else if (f.kind === 'select') {
                    control = (
                        <select {...common}>
                            {(f.options ?? []).map((o) => (
                                <option
                                    key={o.value}
                                    value={o.value}
                                >
                                    {o.label}
                                </option>
                            ))}
                        </select>
                    );
                } else {
                    control = (
                        <input
                            type='text'
                            {...common}
                        />
                    );
                }
                return (
                    <div
                        className='rd-field'
                        key={f.name}
                    >
                        <label htmlFor={fieldId}>{f.label}</label>
                        {control}
                        {f.hint && <span id={fieldId + '-hint'}>{f.hint}</span>}
                        {message && (
                            <span
                                id={fieldId + '-error'}
                                className='rd-field-error'
                            >
                                {message}
                            </span>
                        )}
                    </div>
                );
            })}
            <div className='rd-form-buttons'>
                <button
                    type='submit'
                    className='rd-btn rd-btn-primary'
                    disabled={pending}
                >
                    {pending ? 'Sending…' : ACTION_META[action].label}
                </button>
                <button
                    type='button'
                    className='rd-btn rd-btn-tertiary'
                    onClick={onCancel}
                >
                    {'Cancel'}
                </button>
            </div>
        </form>
    );
}
