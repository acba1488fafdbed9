import type {CommandResponse} from '@mattermost/types/integrations';
import {executeCommand} from 'mattermost-redux/actions/integrations';
import {getCurrentChannelId} from 'mattermost-redux/selectors/entities/common';
import {getCurrentTeamId} from 'mattermost-redux/selectors/entities/teams';
import type {ActionFuncAsync} from 'mattermost-redux/types/actions';

export const REPORT_COMMAND = '/security report';

// Runs `/security report` in the current channel, exactly as if the user had
// typed it: the server answers by opening the report dialog (it needs the
// trigger id that only a real command execution carries). Failures are
// returned as `{error}` and logged by mattermost-redux, never thrown.
export function openReportDialog(): ActionFuncAsync<CommandResponse> {
    return (dispatch, getState) => {
        const state = getState();
        return dispatch(executeCommand(REPORT_COMMAND, {
            channel_id: getCurrentChannelId(state),
            team_id: getCurrentTeamId(state),
        }));
    };
}
