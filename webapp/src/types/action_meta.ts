import type {ActionName, ReportView} from './reports';

export interface ActionMeta {

    // The button's text.
    label: string;

    // Whether the action needs input before it can be sent (a small form).
    form: boolean;

    // What the sidebar says once the action is done.
    done: (r: ReportView) => string;
}

// The actions in the order the card shows its buttons.
export const ACTION_ORDER: readonly ActionName[] = ['take', 'ask', 'confirm', 'fix', 'disclose', 'close', 'reopen', 'reassign', 'message', 'advisory'];

export const ACTION_META: Readonly<Record<ActionName, ActionMeta>> = {
    take: {label: 'Take', form: false, done: (r) => `You took ${r.key}.`},
    ask: {label: 'Ask reporter', form: true, done: (r) => `Your question about ${r.key} was sent to the reporter.`},
    confirm: {label: 'Confirm', form: true, done: (r) => `${r.key} is confirmed.`},
    fix: {label: 'Mark fixed', form: true, done: (r) => `${r.key} is marked fixed.`},
    disclose: {label: 'Mark disclosed', form: false, done: (r) => `${r.key} is marked disclosed.`},
    close: {label: 'Close', form: true, done: (r) => `${r.key} is ${r.status_label.toLowerCase()}.`},
    reopen: {label: 'Reopen', form: false, done: (r) => `${r.key} is open again.`},
    reassign: {label: 'Reassign', form: true, done: (r) => `${r.key} was reassigned.`},
    message: {label: 'Message reporter', form: true, done: (r) => `Your message about ${r.key} was sent to the reporter.`},
    advisory: {label: 'Edit advisory', form: true, done: (r) => `The advisory of ${r.key} was saved.`},
};
