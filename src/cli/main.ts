import { hello } from '../x.ts';
import tar from 'tar-stream';
import picomatch from 'picomatch';
console.log(hello('a'), typeof tar.extract, picomatch('/usr/**')('/usr/x'));
