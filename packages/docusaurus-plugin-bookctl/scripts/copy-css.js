// tsc compiles src/ to lib/ but leaves stylesheets behind; copy them beside the compiled components.
const fs = require('fs');
const path = require('path');

function copy(dir) {
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const from = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(from);
    else if (entry.name.endsWith('.css')) {
      const to = path.join('lib', path.relative('src', from));
      fs.mkdirSync(path.dirname(to), {recursive: true});
      fs.copyFileSync(from, to);
    }
  }
}
copy('src');
