import { Liquid } from 'liquidjs';

export { Liquid };
