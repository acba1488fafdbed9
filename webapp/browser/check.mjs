// The browser check of the sidebar: headless Chromium, driven by
// playwright-core, opens the host page (host.tsx, a stand-in for the
// Mattermost web client) twice — as a triager and as a researcher — against a
// real Mattermost server with the plugin installed, and checks what each
// person sees before and after the triager acts, without reloading.
//
// It is run by the e2e scenario TestWebappSidebarInBrowser (e2e/tests/webapp_test.go),
// which serves the page same-origin with the server and files the report the
// triager then works. The two talk over stdio: this script prints
// `RDCHECK {"need":"report"}` and reads one JSON line {"key","title"} back;
// it ends with `RDCHECK {"done":{...}}` (exit 0) or an error (exit 1).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

import {chromium} from 'playwright-core';

const env = (name, fallback) => {
    const v = process.env[name] ?? fallback;
    if (v === undefined || v === '') {
        throw new Error(`${name} is not set`);
    }
    return v;
};

const base = env('RD_BASE_URL').replace(/\/+$/, '');
const pluginId = env('RD_PLUGIN_ID', 'com.mattermost.responsible-disclosure');
const team = env('RD_TEAM', 'security');
const triager = {username: env('RD_TRIAGER'), password: env('RD_TRIAGER_PASSWORD')};
const researcher = {username: env('RD_RESEARCHER'), password: env('RD_RESEARCHER_PASSWORD')};
const shots = env('RD_SCREENSHOTS');

// A report of another researcher, filed before the pages opened.
const otherKey = process.env.RD_OTHER_KEY ?? '';
const chromiumPath = env('RD_CHROMIUM', '/usr/bin/chromium');
const timeout = Number(env('RD_STEP_TIMEOUT_MS', '20000'));

const stdinLines = readline.createInterface({input: process.stdin})[Symbol.asyncIterator]();

function say(message) {
    process.stdout.write(`[browser] ${message}\n`);
}

// ask tells the Go side what the check needs and waits for its answer.
async function ask(need) {
    process.stdout.write(`RDCHECK ${JSON.stringify({need})}\n`);
    const next = await stdinLines.next();
    if (next.done) {
        throw new Error(`no answer to ${need}: stdin closed`);
    }
    return JSON.parse(next.value);
}

const problems = [];

async function open(browser, who) {
    const context = await browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (e) => problems.push(`${who.username}: uncaught ${e.message}`));
    page.on('console', (m) => {
        const url = m.location().url ?? '';

        // The browser logs every failed request; the sidebar learns that a
        // researcher is not on the team from the queue's 403, by design.
        const expected = /favicon/.test(url) || (/\/reports\/queue\b/.test(url) && /403/.test(m.text()));
        if (m.type() === 'error' && !expected) {
            problems.push(`${who.username}: console error: ${m.text()} (${url})`);
        }
    });
    let loads = 0;
    page.on('load', () => {
        loads++;
    });
    const response = await page.goto(`${base}/_rdcheck/index.html`);
    if (!response?.ok()) {
        throw new Error(`the test page answered ${response?.status()}`);
    }
    const info = await page.evaluate((o) => window.rdHost.boot(o), {...who, team, pluginId});
    say(`${who.username} logged in (${info.userId}); bundle ${info.bundlePath}`);
    await page.waitForFunction(() => window.rdHost.status.wsOpen, null, {timeout});

    // The channel header button the plugin registered opens its sidebar.
    await page.getByRole('button', {name: 'Security reports'}).click();
    const sidebar = page.getByRole('complementary', {name: 'Security reports'});
    await sidebar.waitFor();
    return {page, sidebar, info, who, loads: () => loads};
}

function row(view, list, key) {
    return view.sidebar.locator(`[data-testid="rd-${list}-row"][data-report-key="${key}"]`);
}

async function statusOf(locator) {
    return (await locator.getByTestId('rd-status').first().textContent())?.trim();
}

// waitStatus waits until the report's badge in locator says want.
async function waitStatus(locator, want, what) {
    try {
        await locator.getByTestId('rd-status').first().filter({hasText: new RegExp(`^${want}$`)}).waitFor({timeout});
    } catch {
        const seen = await locator.count() ? await statusOf(locator) : '(not shown)';
        throw new Error(`${what}: expected status "${want}", saw "${seen}"`);
    }
}

async function shot(view, name, target = view.page) {
    const file = path.join(shots, name);
    await target.screenshot({path: file});
    say(`screenshot ${file}`);
    return file;
}

async function main() {
    fs.mkdirSync(shots, {recursive: true});
    const browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const views = [];
    try {
        say(`Chromium ${browser.version()}`);
        const t = await open(browser, triager);
        const r = await open(browser, researcher);
        views.push(t, r);

        // Who is who comes from the server: the queue answers 403 to the researcher.
        await t.sidebar.getByTestId('rd-queue').waitFor();
        await t.sidebar.getByLabel('Order').selectOption('newest');
        await r.sidebar.getByTestId('rd-mine').waitFor();
        if (await r.sidebar.getByRole('button', {name: 'Queue'}).count() > 0 || await r.sidebar.getByTestId('rd-queue').count() > 0) {
            throw new Error('the researcher sees the team queue');
        }
        await r.sidebar.getByRole('button', {name: 'Report a vulnerability'}).waitFor();
        if (otherKey) {
            await waitStatus(row(t, 'queue', otherKey), 'Submitted', `${otherKey} (another researcher's) in the triager's queue`);
            if (await r.sidebar.locator(`[data-report-key="${otherKey}"]`).count() > 0) {
                throw new Error(`the researcher sees ${otherKey}, another researcher's report`);
            }
        }
        const before = {
            triagerRows: await t.sidebar.getByTestId('rd-queue-row').count(),
            researcherRows: await r.sidebar.getByTestId('rd-mine-row').count(),
        };
        say(`before: triager sees ${before.triagerRows} queue rows, researcher ${before.researcherRows} reports`);

        // A researcher files a report (through the real dialog, on the Go side).
        const filed = await ask('report');
        say(`filed ${filed.key}: ${filed.title}`);

        // It appears in the triager's queue and the researcher's list, live.
        const tRow = row(t, 'queue', filed.key);
        await waitStatus(tRow, 'Submitted', `${filed.key} in the triager's queue`);
        const tRowText = await tRow.textContent();
        for (const want of [filed.title, 'Unassigned', 'Waiting']) {
            if (!tRowText.includes(want)) {
                throw new Error(`the queue row of ${filed.key} does not show "${want}": ${tRowText}`);
            }
        }
        const rRow = row(r, 'mine', filed.key);
        await waitStatus(rRow, 'Submitted', `${filed.key} in the researcher's list`);
        if (!(await rRow.textContent()).includes('Updated')) {
            throw new Error(`the researcher's row of ${filed.key} shows no last update`);
        }
        const thread = await rRow.getByRole('link', {name: /Open the conversation/}).getAttribute('href');
        if (!/\/_redirect\/pl\/[a-z0-9]{26}$/.test(thread ?? '')) {
            throw new Error(`the researcher's conversation link is ${thread}`);
        }
        await shot(t, 'sidebar-queue.png');

        // The triager opens it and takes it from the sidebar.
        await tRow.getByRole('button').first().click();
        const detail = t.sidebar.getByTestId('rd-detail');
        await detail.getByRole('heading', {name: filed.title}).waitFor();
        const actions = detail.getByRole('group', {name: `Actions on ${filed.key}`});
        await actions.getByRole('button', {name: 'Take'}).click();
        await detail.getByText(`You took ${filed.key}.`).waitFor();
        await waitStatus(detail, 'Triaging', `${filed.key} in the triager's detail`);
        await detail.getByTestId('rd-assignee').filter({hasText: /^You$/}).waitFor();

        // The researcher's list follows, without a reload.
        await waitStatus(rRow, 'Triaging', `${filed.key} in the researcher's list after Take`);

        // An action with input: the triager asks the reporter a question.
        await actions.getByRole('button', {name: 'Ask reporter'}).click();
        const question = `Which browser showed it? ${filed.key}`;
        await detail.getByLabel('Question for the reporter').fill(question);
        await detail.getByRole('form', {name: `Ask reporter: ${filed.key}`}).getByRole('button', {name: 'Ask reporter'}).click();
        await waitStatus(detail, 'Needs information', `${filed.key} in the triager's detail after Ask`);
        await waitStatus(rRow, 'Needs information', `${filed.key} in the researcher's list after Ask`);
        await detail.getByTestId('rd-timeline').getByText(question).waitFor();
        await shot(t, 'sidebar-detail.png');
        await shot(r, 'sidebar-researcher.png');

        // The researcher's own view of the report: its history, no team notes.
        await rRow.getByRole('button').first().click();
        const rDetail = r.sidebar.getByTestId('rd-detail');
        await rDetail.getByText('The team asked you a question').waitFor();
        if ((await rDetail.textContent()).includes(question)) {
            throw new Error('the researcher\'s view shows the team\'s note');
        }
        if (await rDetail.getByRole('group', {name: /Actions on/}).count() > 0) {
            throw new Error('the researcher\'s view shows team actions');
        }
        await r.page.evaluate(() => window.rdHost.setTheme('dark'));
        await shot(r, 'sidebar-researcher-dark.png');

        // The queue's assignee filter, on the server.
        await detail.getByRole('button', {name: /Back to the queue/}).click();
        await t.sidebar.getByLabel('Assignee').selectOption('none');
        await tRow.waitFor({state: 'detached'});
        await t.sidebar.getByLabel('Assignee').selectOption('me');
        await waitStatus(tRow, 'Needs information', `${filed.key} with the filter Assignee: me`);

        // The rest of the report's life from the sidebar: take it back,
        // confirm, mark fixed (a form with a required field), disclose.
        await tRow.getByRole('button').first().click();
        await detail.getByRole('heading', {name: filed.title}).waitFor();
        await actions.getByRole('button', {name: 'Take'}).click();
        await waitStatus(detail, 'Triaging', `${filed.key} taken again`);
        await actions.getByRole('button', {name: 'Confirm'}).click();
        await detail.getByLabel('Severity without a vector (optional)').selectOption('critical');
        await detail.getByRole('form', {name: `Confirm: ${filed.key}`}).getByRole('button', {name: 'Confirm'}).click();
        await waitStatus(detail, 'Confirmed', `${filed.key} confirmed`);
        // The researcher's open report follows too; then back to their list.
        await waitStatus(rDetail, 'Confirmed', `${filed.key} in the researcher's open report after Confirm`);
        await rDetail.getByRole('button', {name: /Back to your reports/}).click();
        await waitStatus(rRow, 'Confirmed', `${filed.key} in the researcher's list after Confirm`);
        await actions.getByRole('button', {name: 'Mark fixed'}).click();
        const fixForm = detail.getByRole('form', {name: `Mark fixed: ${filed.key}`});
        await fixForm.getByRole('button', {name: 'Mark fixed'}).click();
        await fixForm.getByText('This is required.').waitFor();
        await detail.getByLabel('Fixed in').fill('11.5.1 (2026-02-10), 11.4.3');
        await fixForm.getByRole('button', {name: 'Mark fixed'}).click();
        await waitStatus(detail, 'Fixed', `${filed.key} fixed`);
        await actions.getByRole('button', {name: 'Mark disclosed'}).click();
        await waitStatus(detail, 'Disclosed', `${filed.key} disclosed`);
        await waitStatus(rRow, 'Disclosed', `${filed.key} in the researcher's list after Disclose`);

        const after = {
            triagerLoads: t.loads(),
            researcherLoads: r.loads(),
            pluginEvents: {
                triager: await t.page.evaluate(() => window.rdHost.status.pluginEvents),
                researcher: await r.page.evaluate(() => window.rdHost.status.pluginEvents),
            },
        };
        if (after.triagerLoads !== 1 || after.researcherLoads !== 1) {
            throw new Error(`the pages reloaded (triager ${after.triagerLoads} loads, researcher ${after.researcherLoads})`);
        }
        if (after.pluginEvents.researcher < 7) {
            throw new Error(`the researcher's page got ${after.pluginEvents.researcher} report_changed events, want at least 7 (filed, taken, asked, taken, confirmed, fixed, disclosed)`);
        }

        // The public Hall of Fame page, when the server has it: the disclosed
        // report's researcher asked for credit.
        const hall = await t.page.context().newPage();
        await hall.setViewportSize({width: 1000, height: 420});
        const resp = await hall.goto(`${base}/plugins/${pluginId}/hall-of-fame`);
        let hallOfFame = resp?.status() ?? 0;
        if (resp?.ok()) {
            if (filed.credit && !(await hall.textContent('body')).includes(filed.credit)) {
                throw new Error(`the Hall of Fame does not list ${filed.credit}`);
            }
            await hall.screenshot({path: path.join(shots, 'hall-of-fame.png'), fullPage: true});
            say(`screenshot ${path.join(shots, 'hall-of-fame.png')}`);
        } else {
            say(`no Hall of Fame page (${hallOfFame})`);
            hallOfFame = 0;
        }

        if (problems.length > 0) {
            throw new Error('the pages reported errors:\n' + problems.join('\n'));
        }
        process.stdout.write(`RDCHECK ${JSON.stringify({done: {key: filed.key, before, ...after, hallOfFame}})}\n`);
    } catch (err) {
        for (const v of views) {
            await v.page.screenshot({path: path.join(shots, `failure-${v.who.username}.png`)}).catch(() => undefined);
        }
        if (problems.length > 0) {
            process.stderr.write('page errors:\n' + problems.join('\n') + '\n');
        }
        throw err;
    } finally {
        await browser.close();
    }
}

main().then(() => {
    process.exit(0);
}, (err) => {
    process.stderr.write(`[browser] FAILED: ${err.stack ?? err}\n`);
    process.exit(1);
});
