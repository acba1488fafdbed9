// The sidebar's styles, written with the web client's theme variables so it
// follows the user's theme (light or dark) like the rest of the page. The
// fallbacks are the default light theme's values.
export const STYLE_ELEMENT_ID = 'rd-sidebar-styles';

const fg = 'var(--center-channel-color, #3f4350)';
const fgRGB = 'var(--center-channel-color-rgb, 63, 67, 80)';
const bg = 'var(--center-channel-bg, #ffffff)';
const buttonBg = 'var(--button-bg, #1c58d9)';
const buttonBgRGB = 'var(--button-bg-rgb, 28, 88, 217)';
const buttonFg = 'var(--button-color, #ffffff)';
const link = 'var(--link-color, #386fe5)';
const errorRGB = 'var(--error-text-color-rgb, 210, 75, 78)';
const error = 'var(--error-text, #d24b4e)';
const onlineRGB = 'var(--online-indicator-rgb, 6, 214, 160)';
const awayRGB = 'var(--away-indicator-rgb, 255, 188, 31)';
const dndRGB = 'var(--dnd-indicator-rgb, 210, 75, 78)';

export const css = `
.rd-sidebar { display: flex; flex-direction: column; height: 100%; overflow-y: auto; color: ${fg}; background: ${bg}; font-size: 14px; line-height: 20px; }
.rd-sidebar *, .rd-sidebar *::before, .rd-sidebar *::after { box-sizing: border-box; }
.rd-toolbar { display: flex; gap: 8px; align-items: center; justify-content: space-between; padding: 12px 16px; border-bottom: 1px solid rgba(${fgRGB}, 0.12); }
.rd-tabs { display: flex; gap: 4px; }
.rd-toolbar-title { font-weight: 600; }
.rd-section { padding: 12px 16px; }
.rd-btn { display: inline-flex; align-items: center; gap: 6px; min-height: 32px; padding: 6px 14px; border-radius: 4px; border: 1px solid transparent; font: inherit; font-size: 13px; font-weight: 600; cursor: pointer; }
.rd-btn:focus-visible, .rd-row-main:focus-visible, .rd-sidebar a:focus-visible, .rd-sidebar select:focus-visible, .rd-sidebar input:focus-visible, .rd-sidebar textarea:focus-visible, .rd-detail h3:focus-visible { outline: 2px solid ${buttonBg}; outline-offset: 2px; }
.rd-btn:disabled, .rd-btn[aria-disabled="true"] { opacity: 0.56; cursor: default; }
.rd-btn-primary { background: ${buttonBg}; color: ${buttonFg}; }
.rd-btn-primary:hover:not(:disabled):not([aria-disabled="true"]) { background: rgba(${buttonBgRGB}, 0.88); }
.rd-btn-secondary { background: rgba(${buttonBgRGB}, 0.08); color: ${buttonBg}; }
.rd-btn-secondary:hover:not(:disabled):not([aria-disabled="true"]) { background: rgba(${buttonBgRGB}, 0.16); }
.rd-btn-tertiary { background: transparent; color: rgba(${fgRGB}, 0.72); }
.rd-btn-tertiary:hover:not(:disabled), .rd-btn-tertiary[aria-pressed="true"] { background: rgba(${fgRGB}, 0.08); color: ${fg}; }
.rd-filters { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 12px; padding: 12px 16px; border-bottom: 1px solid rgba(${fgRGB}, 0.08); }
.rd-field { display: flex; flex-direction: column; gap: 4px; font-size: 12px; font-weight: 600; color: rgba(${fgRGB}, 0.72); }
.rd-field select, .rd-field input, .rd-field textarea { font: inherit; font-size: 14px; font-weight: 400; color: ${fg}; background: ${bg}; border: 1px solid rgba(${fgRGB}, 0.24); border-radius: 4px; padding: 6px 8px; }
.rd-field textarea { min-height: 72px; resize: vertical; }
.rd-field [aria-invalid="true"] { border-color: ${error}; }
.rd-field-error { color: ${error}; font-weight: 400; }
.rd-list { list-style: none; margin: 0; padding: 0; }
.rd-row { border-bottom: 1px solid rgba(${fgRGB}, 0.08); }
.rd-row-main { display: block; width: 100%; padding: 10px 16px; text-align: left; background: transparent; border: 0; color: inherit; font: inherit; cursor: pointer; }
.rd-row-main:hover { background: rgba(${fgRGB}, 0.04); }
.rd-row-title { display: block; font-weight: 600; overflow-wrap: anywhere; }
.rd-row-meta { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; margin-top: 4px; font-size: 12px; color: rgba(${fgRGB}, 0.64); }
.rd-row-links { padding: 0 16px 10px; font-size: 12px; }
.rd-key { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; color: rgba(${fgRGB}, 0.72); }
.rd-sidebar a { color: ${link}; }
.rd-badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 11px; font-weight: 600; line-height: 18px; text-transform: uppercase; letter-spacing: 0.02em; background: rgba(${fgRGB}, 0.08); color: ${fg}; }
.rd-badge-submitted { background: rgba(${buttonBgRGB}, 0.12); color: ${buttonBg}; }
.rd-badge-triaging, .rd-badge-confirmed { background: rgba(${awayRGB}, 0.2); }
.rd-badge-needs_info { background: rgba(${dndRGB}, 0.14); }
.rd-badge-fixed, .rd-badge-disclosed { background: rgba(${onlineRGB}, 0.18); }
.rd-sev-critical, .rd-sev-high { color: rgb(${dndRGB}); font-weight: 600; }
.rd-state { padding: 24px 16px; text-align: center; color: rgba(${fgRGB}, 0.72); }
.rd-state p { margin: 0 0 12px; }
.rd-alert { margin: 8px 16px; padding: 8px 12px; border-radius: 4px; background: rgba(${errorRGB}, 0.1); border-left: 3px solid ${error}; }
.rd-notice { margin: 8px 16px; padding: 8px 12px; border-radius: 4px; background: rgba(${onlineRGB}, 0.12); border-left: 3px solid rgb(${onlineRGB}); }
.rd-detail .rd-row-links { padding: 4px 0 8px; }
.rd-detail .rd-alert, .rd-detail .rd-notice { margin: 8px 0; }
.rd-back { padding-left: 0; padding-right: 0; background: transparent; }
.rd-back:hover:not(:disabled) { background: transparent; text-decoration: underline; }
.rd-detail h3 { margin: 4px 0 8px; font-size: 16px; line-height: 24px; overflow-wrap: anywhere; }
.rd-facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 8px 0; font-size: 13px; }
.rd-facts dt { color: rgba(${fgRGB}, 0.64); }
.rd-facts dd { margin: 0; overflow-wrap: anywhere; }
.rd-text { white-space: pre-wrap; overflow-wrap: anywhere; font-family: inherit; font-size: 13px; margin: 4px 0 12px; padding: 8px; border-radius: 4px; background: rgba(${fgRGB}, 0.04); }
.rd-subtitle { margin: 16px 0 6px; font-size: 12px; font-weight: 600; text-transform: uppercase; color: rgba(${fgRGB}, 0.64); }
.rd-timeline { list-style: none; margin: 0; padding: 0 0 0 12px; border-left: 2px solid rgba(${fgRGB}, 0.12); }
.rd-timeline li { margin: 0 0 10px; font-size: 13px; }
.rd-timeline time { display: block; font-size: 12px; color: rgba(${fgRGB}, 0.64); }
.rd-actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.rd-form { display: flex; flex-direction: column; gap: 10px; margin: 8px 0; padding: 12px; border: 1px solid rgba(${fgRGB}, 0.16); border-radius: 4px; }
.rd-form-buttons { display: flex; gap: 8px; }
.rd-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

// ensureStyles adds the stylesheet to the page once.
export function ensureStyles(doc: Document = document): void {
    if (doc.getElementById(STYLE_ELEMENT_ID)) {
        return;
    }
    const style = doc.createElement('style');
    style.id = STYLE_ELEMENT_ID;
    style.textContent = css;
    doc.head.appendChild(style);
}
