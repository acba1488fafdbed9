import {id} from './manifest';
import Plugin from './plugin';

window.registerPlugin(id, new Plugin());
