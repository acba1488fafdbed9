import {act, render, screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {Provider} from 'react-redux';
import {Client4} from 'mattermost-redux/client';

import {FakeServer} from '../testing/fetch';
import {reporterReport, teamReport} from '../testing/fixtures';
import {dialogOpenedResponse, makePluginStore} from '../testing/store';
import type {TestStore} from '../testing/store';
import {REPORT_CHANGED_EVENT, reportChangedHandler} from '../store/websocket';

import Sidebar from './Sidebar';

const base = '/plugins/com.mattermost.responsible-disclosure/api/v1';
const NOW = Date.parse('2026-01-13T10:00:00Z');
const forbidden = {status: 403, json: {error: 'forbidden', message: 'Only the security team can do that.'}};

function renderSidebar(store: TestStore = makePluginStore({userId: 'me-1'})) {
    render(
        <Provider store={store}>
            <Sidebar/>
        </Provider>,
    );
    return store;
}

let server: FakeServer;

beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    Client4.setUrl('http://mm.test');
    server = new FakeServer();
    server.on('POST', '/api/v4/users/ids', {json: [{id: 'reporter-1', username: 'rita'}, {id: 'other-1', username: 'omar'}]});
    server.install();
});

afterEach(() => {
    Client4.setUrl('');
});

describe('Sidebar for a researcher', () => {
    it('shows their reports with status, last update and a link to the conversation', async () => {
        server.on('GET', base + '/reports/queue', forbidden);
        server.on('GET', base + '/reports/mine', {json: {reports: [
            reporterReport({id: 8, title: 'SSRF in link previews', status: 'needs_info', status_label: 'Needs information', updated: '2026-01-13T07:00:00Z', thread_post_id: 'dm-root-8'}),
            reporterReport({id: 3, title: 'Open redirect', status: 'fixed', status_label: 'Fixed', updated: '2026-01-11T10:00:00Z'}),
        ], next_cursor: 0}});

        renderSidebar();

        expect(screen.getByRole('status')).toHaveTextContent('Loading reports…');
        const list = await screen.findByRole('list', {name: 'Your reports'});
        const rows = within(list).getAllByRole('listitem');
        expect(rows).toHaveLength(2);
        expect(rows[0]).toHaveTextContent('SEC-8 SSRF in link previews');
        expect(within(rows[0]).getByTestId('rd-status')).toHaveTextContent('Needs information');
        expect(rows[0]).toHaveTextContent('Updated 3 hours ago');
        expect(within(rows[0]).getByRole('link', {name: 'Open the conversation about SEC-8'})).toHaveAttribute('href', 'http://mm.test/_redirect/pl/dm-root-8');
        expect(rows[1]).toHaveTextContent('Updated 2 days ago');
        expect(within(rows[1]).getByTestId('rd-status')).toHaveTextContent('Fixed');

        expect(screen.queryByRole('form', {name: 'Filter the queue'})).toBeNull();
        expect(screen.queryByRole('button', {name: 'Queue'})).toBeNull();
    });

    it('says how to start when there is nothing yet', async () => {
        server.on('GET', base + '/reports/queue', forbidden);
        server.on('GET', base + '/reports/mine', {json: {reports: [], next_cursor: 0}});

        renderSidebar();

        expect(await screen.findByText('You have not reported a vulnerability yet.')).toBeInTheDocument();
    });

    it('shows an error with a way to try again', async () => {
        server.on('GET', base + '/reports/queue', forbidden);
        server.on('GET', base + '/reports/mine', {status: 500, json: {error: 'internal', message: 'Something went wrong; nothing was saved.'}});
        const user = userEvent.setup();

        renderSidebar();

        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('Your reports could not be loaded. Something went wrong; nothing was saved.');

        server.on('GET', base + '/reports/mine', {json: {reports: [reporterReport({id: 4})], next_cursor: 0}});
        await user.click(within(alert).getByRole('button', {name: 'Try again'}));

        expect(await screen.findByText('SEC-4')).toBeInTheDocument();
        expect(screen.queryByRole('alert')).toBeNull();
    });

    it('pages through many reports', async () => {
        server.on('GET', base + '/reports/queue', forbidden);
        server.on('GET', base + '/reports/mine', {json: {reports: [reporterReport({id: 9})], next_cursor: 9}});
        server.on('GET', /reports\/mine\?cursor=9/, {json: {reports: [reporterReport({id: 2})], next_cursor: 0}});
        const user = userEvent.setup();

        renderSidebar();
        await user.click(await screen.findByRole('button', {name: 'Load more'}));

        await waitFor(() => {
            expect(screen.getAllByTestId('rd-mine-row').map((r) => r.dataset.reportKey)).toEqual(['SEC-9', 'SEC-2']);
        });
        expect(screen.queryByRole('button', {name: 'Load more'})).toBeNull();
    });

    it('opens the report form with /security report', async () => {
        server.on('GET', base + '/reports/queue', forbidden);
        server.on('GET', base + '/reports/mine', {json: {reports: [], next_cursor: 0}});
        const execute = jest.spyOn(Client4, 'executeCommand').mockResolvedValue(dialogOpenedResponse());
        const user = userEvent.setup();

        renderSidebar(makePluginStore({channelId: 'ch-5', teamId: 'team-5'}));
        await user.click(screen.getByRole('button', {name: 'Report a vulnerability'}));

        expect(execute).toHaveBeenCalledWith('/security report', {channel_id: 'ch-5', team_id: 'team-5'});
    });

    it('says so when the report form cannot be opened', async () => {
        server.on('GET', base + '/reports/queue', forbidden);
        server.on('GET', base + '/reports/mine', {json: {reports: [], next_cursor: 0}});
        jest.spyOn(Client4, 'executeCommand').mockRejectedValue(Object.assign(new Error('The plugin is not set up.'), {status_code: 500}));
        jest.spyOn(Client4, 'logClientError').mockResolvedValue({message: ''});
        const user = userEvent.setup();

        renderSidebar();
        await user.click(screen.getByRole('button', {name: 'Report a vulnerability'}));

        expect(await screen.findByRole('alert')).toHaveTextContent('The report form could not be opened. The plugin is not set up.');
    });

    it('shows their own report\'s history without team actions', async () => {
        server.on('GET', base + '/reports/queue', forbidden);
        const mine = reporterReport({id: 4, status: 'triaging', status_label: 'Triaging', timeline: [
            {at: '2026-01-10T10:00:00Z', action: 'submit', summary: 'You filed the report', to: 'submitted'},
            {at: '2026-01-12T10:00:00Z', action: 'take', summary: 'The security team started looking at it', from: 'submitted', to: 'triaging'},
        ], earlier: '12 earlier replies and messages are only in the report\'s threads.'});
        server.on('GET', base + '/reports/mine', {json: {reports: [mine], next_cursor: 0}});
        server.on('GET', base + '/reports/4', {json: mine});
        const user = userEvent.setup();

        renderSidebar();
        await user.click(await screen.findByRole('button', {name: /SEC-4/}));

        const detail = await screen.findByTestId('rd-detail');
        const entries = within(within(detail).getByTestId('rd-timeline')).getAllByRole('listitem');
        expect(entries.map((e) => e.textContent)).toEqual([
            'yesterdayThe security team started looking at it',
            '3 days agoYou filed the report',
            '12 earlier replies and messages are only in the report\'s threads.',
        ]);
        expect(within(detail).queryByRole('group', {name: /Actions/})).toBeNull();
        expect(within(detail).getByRole('link', {name: 'Open the conversation'})).toHaveAttribute('href', 'http://mm.test/_redirect/pl/threadpost1');
    });
});

describe('Sidebar for the security team', () => {
    const queue = [
        teamReport({id: 1, title: 'Old one', created: '2026-01-10T10:00:00Z'}),
        teamReport({id: 2, title: 'Taken one', status: 'triaging', status_label: 'Triaging', assignee_id: 'other-1', severity: '9.8 Critical', rating: 'critical', created: '2026-01-13T05:00:00Z'}),
    ];

    beforeEach(() => {
        server.on('GET', base + '/reports/queue', {json: {reports: queue, next_cursor: 0}});
    });

    it('shows the queue with status, severity, assignee and age', async () => {
        renderSidebar();

        const rows = await screen.findAllByTestId('rd-queue-row');
        expect(rows.map((r) => r.dataset.reportKey)).toEqual(['SEC-1', 'SEC-2']);
        expect(rows[0]).toHaveTextContent('SEC-1 Old one');
        expect(rows[0]).toHaveTextContent('SubmittedHigh (estimated)UnassignedWaiting 3d');
        expect(rows[1]).toHaveTextContent('Triaging9.8 Critical');
        await waitFor(() => {
            expect(rows[1]).toHaveTextContent('Assigned to @omar');
        });
        expect(rows[1]).toHaveTextContent('Waiting 5h');
        expect(screen.getByRole('button', {name: 'Queue'})).toHaveAttribute('aria-pressed', 'true');
    });

    it('filters by status, assignee and severity, and orders by age, on the server', async () => {
        const user = userEvent.setup();
        renderSidebar();
        await screen.findAllByTestId('rd-queue-row');

        server.on('GET', base + '/reports/queue', {json: {reports: [], next_cursor: 0}});
        await user.selectOptions(screen.getByLabelText('Assignee'), 'Unassigned');
        await user.selectOptions(screen.getByLabelText('Status'), 'Needs information');
        await user.selectOptions(screen.getByLabelText('Severity'), 'Critical');
        await user.selectOptions(screen.getByLabelText('Order'), 'Newest first');

        const urls = server.callsTo('GET', base + '/reports/queue').map((c) => new URL(c.url).search);
        expect(urls).toEqual([
            '?order=oldest&limit=50',
            '?assignee=none&order=oldest&limit=50',
            '?status=needs_info&assignee=none&order=oldest&limit=50',
            '?status=needs_info&assignee=none&severity=critical&order=oldest&limit=50',
            '?status=needs_info&assignee=none&severity=critical&order=newest&limit=50',
        ]);
        expect(await screen.findByText('No open reports match these filters.')).toBeInTheDocument();

        await user.selectOptions(screen.getByLabelText('Assignee'), 'Me');
        expect(server.calls[server.calls.length - 1].url).toContain('assignee=me-1');
    });

    it('says the queue is empty', async () => {
        server.on('GET', base + '/reports/queue', {json: {reports: [], next_cursor: 0}});
        renderSidebar();

        expect(await screen.findByText('No open reports. New reports appear here as they arrive.')).toBeInTheDocument();
    });

    it('shows the team member\'s own reports on the second tab', async () => {
        server.on('GET', base + '/reports/mine', {json: {reports: [reporterReport({id: 11, title: 'My own finding'})], next_cursor: 0}});
        const user = userEvent.setup();
        renderSidebar();
        await screen.findAllByTestId('rd-queue-row');

        await user.click(screen.getByRole('button', {name: 'My reports'}));

        expect(await screen.findByText('My own finding')).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'My reports'})).toHaveAttribute('aria-pressed', 'true');
        expect(screen.queryByTestId('rd-queue')).toBeNull();
    });

    it('opens a report with its facts, text and history, focused, and goes back to its row', async () => {
        server.on('GET', base + '/reports/1', {json: teamReport({id: 1, title: 'Old one', timeline: [
            {at: '2026-01-10T10:00:00Z', action: 'submit', summary: 'submit by the reporter', to: 'submitted', actor_id: 'reporter-1'},
            {at: '2026-01-12T10:00:00Z', action: 'message', summary: 'message by a triager', to: 'submitted', actor_id: 'me-1', note: 'Thanks, looking.'},
        ]})});
        const user = userEvent.setup();
        renderSidebar();

        await user.click(await screen.findByRole('button', {name: /SEC-1 Old one/}));

        const heading = await screen.findByRole('heading', {name: 'Old one'});
        expect(heading).toHaveFocus();
        const detail = screen.getByTestId('rd-detail');
        expect(detail).toHaveTextContent('The channel header renders raw HTML.');
        await waitFor(() => {
            expect(detail).toHaveTextContent('Reporter@rita');
        });
        expect(screen.getByTestId('rd-assignee')).toHaveTextContent('Nobody yet');
        const entries = within(screen.getByTestId('rd-timeline')).getAllByRole('listitem');
        expect(entries[0]).toHaveTextContent('yesterdaymessage by a triager — youThanks, looking.');
        expect(entries[1]).toHaveTextContent('submit by the reporter — @rita');
        expect(within(detail).getByRole('link', {name: 'Open the card'})).toHaveAttribute('href', 'http://mm.test/_redirect/pl/cardpost1');
        expect(within(screen.getByRole('group', {name: 'Actions on SEC-1'})).getAllByRole('button').map((b) => b.textContent)).toEqual(['Take', 'Close', 'Reassign', 'Message reporter']);

        await user.click(screen.getByRole('button', {name: '← Back to the queue'}));

        expect(screen.getByRole('button', {name: /SEC-1 Old one/})).toHaveFocus();
    });

    it('shows an encrypted description as it came, with a button that copies it whole', async () => {
        const armored = '-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyz\n=AbCd\n-----END PGP MESSAGE-----';
        const sealed = teamReport({id: 1, title: 'Sealed', description: armored, steps: '', impact: '', encrypted: true});
        server.on('GET', base + '/reports/queue', {json: {reports: [sealed], next_cursor: 0}});
        server.on('GET', base + '/reports/1', {json: sealed});
        const user = userEvent.setup(); // with a clipboard of its own
        renderSidebar();

        await user.click(await screen.findByRole('button', {name: /SEC-1 Sealed/}));

        const detail = await screen.findByTestId('rd-detail');
        expect(within(detail).getByTestId('rd-encrypted')).toHaveTextContent('Encrypted with the team key');
        expect(detail).toHaveTextContent('-----BEGIN PGP MESSAGE-----');
        await user.click(within(detail).getByRole('button', {name: 'Copy the armored message'}));
        expect(await within(detail).findByRole('button', {name: 'Copied'})).toBeInTheDocument();
        expect(await navigator.clipboard.readText()).toBe(armored);
    });
});

describe('Report actions', () => {
    async function openReport(report = teamReport({id: 1, version: 2, actions: ['take', 'ask', 'confirm', 'close', 'reassign', 'message'], status: 'triaging', status_label: 'Triaging'})) {
        server.on('GET', base + '/reports/queue', {json: {reports: [report], next_cursor: 0}});
        server.on('GET', base + '/reports/1', {json: report});
        const user = userEvent.setup();
        const store = makePluginStore({userId: 'me-1'});
        renderSidebar(store);
        await user.click(await screen.findByRole('button', {name: /SEC-1/}));
        await screen.findByRole('heading', {name: report.title});
        return Object.assign(user, {store});
    }

    it('takes a report at once and shows its new state', async () => {
        const user = await openReport(teamReport({id: 1, version: 2}));
        const taken = teamReport({id: 1, version: 3, status: 'triaging', status_label: 'Triaging', assignee_id: 'me-1', actions: ['take', 'ask', 'confirm', 'close', 'reassign', 'message']});
        server.on('POST', base + '/reports/1/actions/take', {json: taken});
        server.on('GET', base + '/reports/queue', {json: {reports: [taken], next_cursor: 0}});

        await user.click(screen.getByRole('button', {name: 'Take'}));

        expect(await screen.findByText('You took SEC-1.')).toBeInTheDocument();
        expect(screen.getByRole('button', {name: 'Take'})).toHaveFocus();
        expect(screen.getByRole('button', {name: 'Take'})).toHaveAttribute('aria-disabled', 'false');
        expect(within(screen.getByTestId('rd-detail')).getAllByTestId('rd-status')[0]).toHaveTextContent('Triaging');
        expect(screen.getByTestId('rd-assignee')).toHaveTextContent('You');
        expect(server.callsTo('POST', base + '/reports/1/actions/take')[0].body).toEqual({version: 2});
    });

    it('asks for a question before asking the reporter, then sends it', async () => {
        const user = await openReport();
        server.on('POST', base + '/reports/1/actions/ask', {json: teamReport({id: 1, version: 3, status: 'needs_info', status_label: 'Needs information', actions: ['take', 'close', 'reassign', 'message']})});

        const bar = screen.getByRole('group', {name: 'Actions on SEC-1'});
        await user.click(within(bar).getByRole('button', {name: 'Ask reporter'}));
        const field = screen.getByLabelText('Question for the reporter');
        expect(field).toHaveFocus();
        expect(within(bar).getByRole('button', {name: 'Ask reporter'})).toHaveAttribute('aria-expanded', 'true');

        const form = screen.getByRole('form', {name: 'Ask reporter: SEC-1'});
        await user.click(within(form).getByRole('button', {name: 'Ask reporter'}));
        expect(field).toHaveAttribute('aria-invalid', 'true');
        expect(form).toHaveTextContent('This is required.');
        expect(server.callsTo('POST', base + '/reports/1/actions')).toHaveLength(0);

        await user.type(field, 'Which browser did you use?');
        await user.click(within(form).getByRole('button', {name: 'Ask reporter'}));

        expect(await screen.findByText('Your question about SEC-1 was sent to the reporter.')).toBeInTheDocument();
        expect(server.callsTo('POST', base + '/reports/1/actions/ask')[0].body).toEqual({version: 2, note: 'Which browser did you use?'});
        expect(screen.queryByRole('form', {name: 'Ask reporter: SEC-1'})).toBeNull();
        expect(within(screen.getByTestId('rd-detail')).getAllByTestId('rd-status')[0]).toHaveTextContent('Needs information');

        // Asking is no longer allowed, so its button is gone: the focus goes to the report.
        expect(within(bar).queryByRole('button', {name: 'Ask reporter'})).toBeNull();
        await waitFor(() => {
            expect(screen.getByRole('heading', {name: 'Stored XSS in the channel header'})).toHaveFocus();
        });
    });

    it('shows the server\'s field error next to the field', async () => {
        const user = await openReport(teamReport({id: 1, version: 2, status: 'confirmed', status_label: 'Confirmed', actions: ['ask', 'confirm', 'fix', 'close', 'reassign', 'message']}));
        server.on('POST', base + '/reports/1/actions/fix', {status: 400, json: {error: 'invalid_input', field: 'fixed_in', message: 'Give releases like 11.5.1 (2026-02-10), 11.4.3.'}});

        await user.click(screen.getByRole('button', {name: 'Mark fixed'}));
        await user.type(screen.getByLabelText('Fixed in'), 'next week');
        await user.type(screen.getByLabelText('CVE id (optional)'), 'CVE-2026-0001');
        await user.click(within(screen.getByRole('form', {name: 'Mark fixed: SEC-1'})).getByRole('button', {name: 'Mark fixed'}));

        await waitFor(() => {
            expect(screen.getByLabelText('Fixed in')).toHaveAttribute('aria-invalid', 'true');
        });
        expect(screen.getByLabelText('Fixed in')).toHaveAccessibleDescription(/Give releases like 11.5.1 \(2026-02-10\), 11.4.3./);
        expect(server.callsTo('POST', base + '/reports/1/actions/fix')[0].body).toEqual({version: 2, fixed_in: 'next week', cve_id: 'CVE-2026-0001'});
        expect(screen.queryByTestId('rd-action-error')).toBeNull();
    });

    it('edits the advisory of a fixed report and publishes it early', async () => {
        const user = await openReport(teamReport({id: 1, version: 5, status: 'fixed', status_label: 'Fixed', actions: ['fix', 'disclose', 'reassign', 'message', 'advisory']}));
        server.on('POST', base + '/reports/1/actions/advisory', {json: teamReport({id: 1, version: 6, status: 'fixed', status_label: 'Fixed', actions: ['fix', 'disclose', 'reassign', 'message', 'advisory']})});

        await user.click(screen.getByRole('button', {name: 'Edit advisory'}));
        await user.type(screen.getByLabelText('Public title (optional)'), 'XSS in channel headers');
        await user.type(screen.getByLabelText('Disclosure date (optional)'), '2026-03-20');
        await user.click(within(screen.getByRole('form', {name: 'Edit advisory: SEC-1'})).getByRole('button', {name: 'Edit advisory'}));

        await waitFor(() => {
            expect(server.callsTo('POST', base + '/reports/1/actions/advisory')).toHaveLength(1);
        });
        expect(server.callsTo('POST', base + '/reports/1/actions/advisory')[0].body).toEqual({version: 5, public_title: 'XSS in channel headers', disclose_on: '2026-03-20'});
    });

    it('shows the current state when someone else acted first', async () => {
        const user = await openReport(teamReport({id: 1, version: 2}));
        const current = teamReport({id: 1, version: 3, status: 'triaging', status_label: 'Triaging', assignee_id: 'other-1', actions: ['take', 'ask', 'confirm', 'close', 'reassign', 'message']});
        server.on('POST', base + '/reports/1/actions/take', {status: 409, json: {error: 'conflict', message: 'changed', current}});

        await user.click(screen.getByRole('button', {name: 'Take'}));

        expect(await screen.findByRole('alert')).toHaveTextContent('SEC-1 changed while you were looking at it: it is now Triaging. Check it again before acting.');
        expect(within(screen.getByTestId('rd-detail')).getAllByTestId('rd-status')[0]).toHaveTextContent('Triaging');
        await waitFor(() => {
            expect(screen.getByTestId('rd-assignee')).toHaveTextContent('@omar');
        });
        expect(screen.getByRole('button', {name: 'Ask reporter'})).toBeInTheDocument();
    });

    it('shows a refusal as an alert', async () => {
        const user = await openReport();
        server.on('POST', base + '/reports/1/actions/message', {status: 503, json: {error: 'busy', message: 'The plugin is busy; try again in a moment.'}});

        await user.click(screen.getByRole('button', {name: 'Message reporter'}));
        await user.type(screen.getByLabelText('Message to the reporter'), 'Hello');
        await user.keyboard('{Tab}{Enter}');

        expect(await screen.findByRole('alert')).toHaveTextContent('The plugin is busy; try again in a moment.');
        expect(screen.getByRole('form', {name: 'Message reporter: SEC-1'})).toBeInTheDocument();
    });

    it('closes as a duplicate with the original\'s id, asked only for duplicates', async () => {
        const user = await openReport();
        server.on('POST', base + '/reports/1/actions/close', {json: teamReport({id: 1, version: 3, status: 'duplicate', status_label: 'Closed as duplicate', actions: ['reopen', 'message']})});

        await user.click(screen.getByRole('button', {name: 'Close'}));
        expect(screen.queryByLabelText('Duplicate of')).toBeNull();
        await user.selectOptions(screen.getByLabelText('Close as'), 'Duplicate');
        await user.type(screen.getByLabelText('Duplicate of'), 'SEC-2');
        await user.click(within(screen.getByRole('form', {name: 'Close: SEC-1'})).getByRole('button', {name: 'Close'}));

        expect(await screen.findByText('SEC-1 is closed as duplicate.')).toBeInTheDocument();
        expect(server.callsTo('POST', base + '/reports/1/actions/close')[0].body).toEqual({version: 2, resolution: 'duplicate', duplicate_of: 'SEC-2'});
        expect(screen.getByRole('button', {name: 'Reopen'})).toBeInTheDocument();
    });

    it('keeps the action buttons focusable but inert while an action runs', async () => {
        const user = await openReport(teamReport({id: 1, version: 2}));
        let release: () => void = () => undefined;
        const pending = new Promise<void>((resolve) => {
            release = resolve;
        });
        const fetchSpy = jest.spyOn(window, 'fetch');
        fetchSpy.mockImplementationOnce(async () => {
            await pending;
            return {ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(teamReport({id: 1, version: 3, status: 'triaging', status_label: 'Triaging'})))} as Response;
        });

        await user.click(screen.getByRole('button', {name: 'Take'}));

        const take = screen.getByRole('button', {name: 'Sending…'});
        expect(take).toHaveFocus();
        expect(take).toHaveAttribute('aria-disabled', 'true');
        await user.click(screen.getByRole('button', {name: 'Close'}));
        expect(screen.queryByLabelText('Close as')).toBeNull();

        await act(async () => {
            release();
            await pending;
        });
        expect(await screen.findByText('You took SEC-1.')).toBeInTheDocument();
    });

    it('closes a form with Escape and returns the focus to its button', async () => {
        const user = await openReport();

        await user.click(screen.getByRole('button', {name: 'Reassign'}));
        expect(screen.getByLabelText('Reassign to')).toHaveFocus();
        await user.keyboard('{Escape}');

        expect(screen.queryByLabelText('Reassign to')).toBeNull();
        expect(screen.getByRole('button', {name: 'Reassign'})).toHaveFocus();
    });

    it('updates the open report live when it changes elsewhere', async () => {
        const {store} = await openReport(teamReport({id: 1, version: 2}));
        const changed = teamReport({id: 1, version: 4, status: 'needs_info', status_label: 'Needs information'});
        server.on('GET', base + '/reports/1', {json: changed});
        server.on('GET', base + '/reports/queue', {json: {reports: [changed], next_cursor: 0}});

        act(() => {
            reportChangedHandler(store)({event: REPORT_CHANGED_EVENT, data: {report_id: 1, status: 'needs_info', version: 4}});
        });

        await waitFor(() => {
            expect(within(screen.getByTestId('rd-detail')).getAllByTestId('rd-status')[0]).toHaveTextContent('Needs information');
        });
    });
});
