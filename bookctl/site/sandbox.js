// The module system and Node stand-ins of bookctl's config sandbox (run in QuickJS by bookctl/site/js.py).
//
// The host gives two functions and nothing else: __host_load(fromFile, spec, mode) resolves and reads
// a module (files inside the site only) and __host_fs(op, path) answers read-only questions about files
// inside the site. Everything a module asks for beyond that is an inert stand-in: a value that tolerates
// any property access, call or `new`, and does nothing.
(function () {
  'use strict';
  var g = globalThis;
  var transform = g.__bookctl_transform;
  var nodePath = g.__bookctl_path;
  var SITE = g.__bookctl_site;
  var hostLoad = g.__host_load;
  var hostFs = g.__host_fs;
  var standIns = [];
  var standInValues = new WeakSet();
  var standInNames = new WeakMap();

  function standIn(name) {
    var cache = Object.create(null);
    var target = function () {};
    var proxy = new Proxy(target, {
      get: function (t, key) {
        if (key === Symbol.toPrimitive) {
          return function (hint) {
            return hint === 'number' ? 0 : '';
          };
        }
        if (key === 'toString' || key === 'toLocaleString') {
          return function () {
            return '';
          };
        }
        if (key === 'valueOf') {
          return function () {
            return 0;
          };
        }
        if (key === Symbol.iterator) {
          return function () {
            return [][Symbol.iterator]();
          };
        }
        if (key === 'prototype') return t.prototype;
        // An ES module namespace to import helpers: `import * as yaml from 'js-yaml'` keeps the stand-in.
        if (key === '__esModule') return true;
        if (key === 'then' || key === 'toJSON' || typeof key === 'symbol') {
          return undefined;
        }
        if (key === 'default') return proxy;
        if (!(key in cache)) cache[key] = standIn(name + '.' + String(key));
        return cache[key];
      },
      apply: function () {
        return standIn(name + '()');
      },
      construct: function () {
        return standIn('new ' + name);
      },
      has: function () {
        return false;
      },
      set: function () {
        return true;
      },
    });
    standInValues.add(proxy);
    standInNames.set(proxy, name);
    return proxy;
  }

  // JSON.parse of a stand-in (a file the sandbox did not read) is a stand-in, not a SyntaxError.
  var parseJSON = JSON.parse;
  JSON.parse = function (text, reviver) {
    if ((typeof text === 'object' || typeof text === 'function') && standInValues.has(text)) return text;
    return parseJSON(text, reviver);
  };

  function noteStandIn(name, why) {
    if (standIns.indexOf(name + why) < 0) standIns.push(name + why);
  }

  // --- Node built-ins -------------------------------------------------------------------------

  function toPath(p) {
    if (p && typeof p === 'object' && p.href) p = p.href;
    p = String(p);
    return nodePath.resolve(p.indexOf('file://') === 0 ? fileURLToPath(p) : p);
  }

  function fsCall(op, p) {
    var answer = JSON.parse(hostFs(op, toPath(p)));
    if (answer.outside) {
      // Outside the site folder: not read; the code gets an inert value instead.
      noteStandIn('fs ' + op + ' ' + String(p), ' (outside the site folder, not read)');
      if (op === 'exists') return false;
      var s = standIn('fs.' + op);
      standInValues.add(s);
      return s;
    }
    if (answer.error) {
      var err = new Error(answer.error);
      err.code = answer.code;
      throw err;
    }
    return answer.value;
  }

  function statOf(p) {
    var s = fsCall('stat', p);
    return {
      size: s.size,
      mtimeMs: 0,
      isFile: function () {
        return s.file;
      },
      isDirectory: function () {
        return s.dir;
      },
      isSymbolicLink: function () {
        return false;
      },
    };
  }

  function refuseWrite() {
    throw new Error('writing files is not allowed in site config code');
  }

  var fs = {
    readFileSync: function (p) {
      return fsCall('read', p);
    },
    existsSync: function (p) {
      return fsCall('exists', p);
    },
    readdirSync: function (p, options) {
      var entries = fsCall('readdir', p);
      if (!Array.isArray(entries)) return entries;
      if (!(options && options.withFileTypes)) {
        return entries.map(function (e) {
          return e.name;
        });
      }
      return entries.map(function (e) {
        return {
          name: e.name,
          isFile: function () {
            return e.file;
          },
          isDirectory: function () {
            return e.dir;
          },
          isSymbolicLink: function () {
            return false;
          },
        };
      });
    },
    statSync: statOf,
    lstatSync: statOf,
    realpathSync: function (p) {
      return nodePath.resolve(String(p));
    },
    writeFileSync: refuseWrite,
    appendFileSync: refuseWrite,
    mkdirSync: refuseWrite,
    rmSync: refuseWrite,
    unlinkSync: refuseWrite,
    copyFileSync: refuseWrite,
  };
  var fsPromises = {};
  ['readFile', 'readdir', 'stat', 'lstat', 'realpath'].forEach(function (name) {
    fsPromises[name] = function (p) {
      try {
        return Promise.resolve(fs[name + 'Sync'](p));
      } catch (e) {
        return Promise.reject(e);
      }
    };
  });
  fsPromises.access = function (p) {
    return fs.existsSync(p) ? Promise.resolve() : Promise.reject(new Error('ENOENT: ' + p));
  };
  ['writeFile', 'appendFile', 'mkdir', 'rm', 'unlink'].forEach(function (name) {
    fsPromises[name] = function () {
      return Promise.reject(new Error('writing files is not allowed in site config code'));
    };
  });
  fs.promises = fsPromises;

  function fileURLToPath(u) {
    var s = typeof u === 'string' ? u : String(u && u.href);
    if (s.indexOf('file://') !== 0) throw new TypeError('The URL must be of scheme file');
    return decodeURIComponent(s.slice(7));
  }

  function URLish(input, base) {
    var s = String(input);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(s) && base !== undefined) {
      var b = new URLish(base);
      var pathname = s.charAt(0) === '/' ? s : nodePath.resolve(nodePath.dirname(b.pathname), s);
      if (s.slice(-1) === '/' && pathname.slice(-1) !== '/') pathname += '/';
      s = b.protocol + '//' + b.host + pathname;
    }
    var m = /^([a-z][a-z0-9+.-]*:)(\/\/([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(s);
    if (!m) throw new TypeError('Invalid URL: ' + s);
    this.protocol = m[1].toLowerCase();
    this.host = m[3] || '';
    this.hostname = this.host.replace(/:\d+$/, '');
    this.port = (/:(\d+)$/.exec(this.host) || [])[1] || '';
    this.pathname = m[4] || '/';
    this.search = m[5] || '';
    this.hash = m[6] || '';
    this.origin = this.protocol + '//' + this.host;
    this.href = this.protocol + (m[2] !== undefined ? '//' + this.host : '') + this.pathname + this.search + this.hash;
  }
  URLish.prototype.toString = function () {
    return this.href;
  };
  URLish.prototype.toJSON = function () {
    return this.href;
  };

  var url = {
    URL: URLish,
    fileURLToPath: fileURLToPath,
    pathToFileURL: function (p) {
      return new URLish('file://' + nodePath.resolve(String(p)));
    },
  };

  var pathModule = Object.assign({}, nodePath);
  pathModule.posix = pathModule;
  pathModule.win32 = pathModule;
  pathModule.default = pathModule;

  function exit() {
    throw new Error('process.exit() is not allowed in site config code');
  }
  var process = {
    env: Object.assign({NODE_ENV: 'production'}, JSON.parse(g.__bookctl_env || '{}')),
    argv: ['node', 'docusaurus', 'build'],
    platform: 'linux',
    version: 'v20.0.0',
    versions: {node: '20.0.0'},
    cwd: function () {
      return SITE;
    },
    exit: exit,
    on: function () {
      return process;
    },
    nextTick: function (fn) {
      Promise.resolve().then(fn);
    },
    emitWarning: function () {},
  };

  var builtins = {
    path: pathModule,
    url: url,
    fs: fs,
    'fs/promises': fsPromises,
    process: process,
    module: {
      createRequire: function (from) {
        return makeRequire(fileURLToPath(String(from).indexOf('file://') === 0 ? from : 'file://' + from));
      },
    },
  };

  // --- modules --------------------------------------------------------------------------------

  var cache = Object.create(null);

  function makeRequire(fromFile) {
    var req = function (spec) {
      return load(fromFile, spec);
    };
    req.resolve = function (spec) {
      var r = JSON.parse(hostLoad(fromFile, String(spec), 'resolve'));
      if (r.kind === 'error') throw new Error(r.message);
      return r.path;
    };
    req.cache = cache;
    return req;
  }

  function load(fromFile, spec) {
    var r = JSON.parse(hostLoad(fromFile, String(spec), 'load'));
    if (r.kind === 'error') throw new Error(r.message);
    if (r.kind === 'builtin') {
      if (builtins[r.name]) return builtins[r.name];
      noteStandIn(String(spec), '');
      return standIn(r.name);
    }
    if (r.kind === 'standin') {
      noteStandIn(String(spec), r.why ? ' (' + r.why + ')' : '');
      return standIn(String(spec));
    }
    if (cache[r.path]) return cache[r.path].exports;
    var module = {exports: {}, id: r.path, filename: r.path, loaded: false};
    cache[r.path] = module;
    if (r.type === 'json') {
      try {
        module.exports = JSON.parse(r.code);
      } catch (e) {
        e.bookctlFile = r.path;
        throw e;
      }
      return module.exports;
    }
    run(module, r);
    module.loaded = true;
    return module.exports;
  }

  function run(module, r) {
    var transforms = ['imports'];
    if (r.type === 'ts' || r.type === 'tsx') transforms.unshift('typescript');
    if (r.type === 'tsx' || r.type === 'jsx') transforms.push('jsx');
    var code;
    try {
      code = transform(r.code, r.path, transforms);
    } catch (e) {
      var located = /\((\d+):(\d+)\)/.exec(String(e.message));
      var err = new SyntaxError(String(e.message).replace(/\s*\(\d+:\d+\)\s*$/, ''));
      err.bookctlFile = r.path;
      if (located) {
        err.bookctlLine = Number(located[1]);
        err.bookctlColumn = Number(located[2]) + 1;
      }
      throw err;
    }
    code = code.replace(/\bimport\.meta\b/g, '__importMeta');
    if (/\b(?:const|let|var)\s+require\b/.test(code)) {
      // An ES module that makes its own `require` (createRequire): the requires of its imports,
      // which sucrase writes before that declaration, go to ours.
      code = code.replace(/\brequire\s*\(/g, '__bookctl_require(');
    }
    var dirname = nodePath.dirname(r.path);
    var importMeta = {url: 'file://' + r.path, filename: r.path, dirname: dirname};
    // Node's module scope is the outer function, the module's code the inner one (so an ES module
    // may declare its own `__dirname` or `require`). Both open on the module's first line (sucrase
    // keeps lines), so error lines are file lines.
    var fn = (0, eval)(
      '(function (require, module, __filename, __dirname, __bookctl_require) { return function (exports, ' +
        '__importMeta) {' + code + '\n}; })'
    );
    var req = makeRequire(r.path);
    try {
      fn(req, module, r.path, dirname, req).call(module.exports, module.exports, importMeta);
    } catch (e) {
      if (e && typeof e === 'object' && !e.bookctlFile) e.bookctlFile = r.path;
      throw e;
    }
  }

  // --- the result -----------------------------------------------------------------------------

  // A plain-data copy: functions and stand-ins are dropped (Docusaurus options we read are data),
  // cycles are cut, getters that throw read as undefined.
  // remarkPlugins and its kin: a package the sandbox did not load is kept as {standIn: name}, so
  // the host knows which plugins a docs instance uses (@docusaurus/remark-plugin-npm2yarn changes
  // what a page shows); elsewhere a stand-in is dropped like any function.
  var PLUGIN_LISTS = /^(beforeDefault)?(remark|rehype|recma)Plugins$/;

  function pluginData(value, ancestors, depth) {
    if ((typeof value === 'function' || typeof value === 'object') && value !== null && standInValues.has(value)) {
      return {standIn: standInNames.get(value)};
    }
    if (Array.isArray(value) && depth <= 64) {
      return value.map(function (item) {
        var v = pluginData(item, ancestors, depth + 1);
        return v === undefined ? null : v;
      });
    }
    return toData(value, ancestors, depth);
  }

  function toData(value, ancestors, depth) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return isFinite(value) ? value : null;
    if (typeof value !== 'object' || depth > 64 || ancestors.indexOf(value) >= 0) return undefined;
    if (value instanceof RegExp) return undefined;
    if (value instanceof URLish) return value.href;
    ancestors.push(value);
    var out;
    if (Array.isArray(value)) {
      out = [];
      for (var i = 0; i < value.length; i++) {
        var item = toData(value[i], ancestors, depth + 1);
        out.push(item === undefined ? null : item);
      }
    } else {
      out = {};
      Object.keys(value).forEach(function (key) {
        var v;
        try {
          v = value[key];
        } catch (e) {
          v = undefined;
        }
        v = PLUGIN_LISTS.test(key) ? pluginData(v, ancestors, depth + 1) : toData(v, ancestors, depth + 1);
        if (v !== undefined) out[key] = v;
      });
    }
    ancestors.pop();
    return out;
  }

  var SANDBOX_FRAMES = [
    'load', 'req', 'run', 'fsCall', 'statOf', 'toPath', 'refuseWrite', 'readFileSync', 'existsSync',
    'readdirSync', 'statSync', 'lstatSync', 'fileURLToPath', 'URLish', 'exit', 'createRequire',
  ];

  function describe(e) {
    if (e && typeof e === 'object') {
      var message = (e.name || 'Error') + ': ' + (e.message === undefined ? String(e) : e.message);
      // The first frame of the site's code: the sandbox's own functions (named below) are skipped.
      var frame = null;
      String(e.stack || '')
        .split('\n')
        .some(function (line) {
          var m = /at (\S+) \(<input>:(\d+)(?::(\d+))?\)/.exec(line);
          if (!m || SANDBOX_FRAMES.indexOf(m[1]) >= 0) return false;
          frame = [m[0], m[2], m[3]];
          return true;
        });
      return {
        error: message,
        file: e.bookctlFile || null,
        line: e.bookctlLine || (frame ? Number(frame[1]) : null),
        column: e.bookctlColumn || (frame && frame[2] ? Number(frame[2]) : null),
      };
    }
    return {error: 'Error: ' + String(e), file: null, line: null, column: null};
  }

  g.__bookctl_state = {done: false, answer: null};
  g.process = process;
  g.__bookctl_run = function (entry, callFunction) {
    var state = g.__bookctl_state;
    function finish(answer) {
      answer.standIns = standIns;
      state.answer = JSON.stringify(answer);
      state.done = true;
    }
    try {
      var exported = load(SITE, entry);
      if (exported && typeof exported === 'object' && exported.__esModule && 'default' in exported) {
        exported = exported['default'];
      }
      var value = callFunction && typeof exported === 'function' ? exported() : exported;
      Promise.resolve(value).then(
        function (v) {
          var data = toData(v, [], 0);
          finish({value: data === undefined ? null : data});
        },
        function (e) {
          finish(describe(e));
        }
      );
    } catch (e) {
      finish(describe(e));
    }
  };

  g.console = {
    log: function () {},
    info: function () {},
    warn: function () {},
    error: function () {},
    debug: function () {},
  };
  g.setTimeout = function (fn) {
    Promise.resolve().then(fn);
    return 0;
  };
  g.clearTimeout = function () {};
  g.URL = URLish;
})();
