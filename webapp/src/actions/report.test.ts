import {Client4} from 'mattermost-redux/client';

import {dialogOpenedResponse, makeStore} from '../testing/store';

import {openReportDialog, REPORT_COMMAND} from './report';

describe('openReportDialog', () => {
    it('executes the report command with the current channel and team', async () => {
        const response = dialogOpenedResponse();
        const execute = jest.spyOn(Client4, 'executeCommand').mockResolvedValue(response);
        const store = makeStore({channelId: 'channel-7', teamId: 'team-3'});

        const result = await store.dispatch(openReportDialog());

        expect(REPORT_COMMAND).toBe('/security report');
        expect(execute).toHaveBeenCalledTimes(1);
        expect(execute).toHaveBeenCalledWith('/security report', {channel_id: 'channel-7', team_id: 'team-3'});
        expect(result).toEqual({data: response});
    });

    it('resolves with the error instead of throwing when the server refuses', async () => {
        const refusal = Object.assign(new Error('Command with a trigger of \'security\' not found.'), {
            server_error_id: 'api.command.execute_command.not_found.app_error',
            status_code: 404,
        });
        jest.spyOn(Client4, 'executeCommand').mockRejectedValue(refusal);
        const logClientError = jest.spyOn(Client4, 'logClientError').mockResolvedValue({message: ''});
        const store = makeStore();

        const result = await store.dispatch(openReportDialog());

        expect(result).toEqual({error: refusal});

        // The server already logged its own error; the client does not echo it back.
        expect(logClientError).not.toHaveBeenCalled();
    });
});
