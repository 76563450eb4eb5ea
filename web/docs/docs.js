// Renders /openapi.json as a readable reference: one section per route with its parameters, body and responses.
const main = document.getElementById('docs');
const doc = await (await fetch('/openapi.json')).json();

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};
const resolve = (s) => (s && s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);

function schemaView(schema, depth = 0) {
  schema = resolve(schema);
  if (!schema || depth > 4) return el('span', {}, '');
  if (schema.type === 'object' && schema.properties) {
    const list = el('ul');
    const required = new Set(schema.required || []);
    for (const [name, prop] of Object.entries(schema.properties)) {
      const p = resolve(prop);
      const type = p.enum ? p.enum.map((v) => JSON.stringify(v)).join(' | ') : (p.type || (p.anyOf ? 'one of' : 'any'));
      list.append(el('li', {}, el('code', {}, name), required.has(name) ? '' : ' (optional)', ` — ${Array.isArray(type) ? type.join('|') : type}`, schemaView(p, depth + 1)));
    }
    return list;
  }
  if (schema.type === 'array') return el('span', {}, ' of ', schemaView(schema.items, depth + 1));
  return el('span', {}, '');
}

main.replaceChildren(el('h1', {}, doc.info.title), el('p', {}, doc.info.description || ''), el('p', {}, el('a', { href: '/openapi.json' }, 'openapi.json')));
for (const [path, ops] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    const section = el('section', { class: 'op' }, el('h2', {}, el('span', { class: `m ${method}` }, method.toUpperCase()), ' ', el('code', {}, path)), el('p', {}, op.summary || ''));
    if (op.security) section.append(el('p', { class: 'auth' }, `auth: ${op.security.map((s) => Object.keys(s)[0]).join(', ')}`));
    for (const p of op.parameters || []) section.append(el('p', {}, el('code', {}, `${p.in} ${p.name}`), p.required ? ' (required)' : ''));
    const body = op.requestBody?.content;
    if (body) for (const [type, c] of Object.entries(body)) section.append(el('h3', {}, `body: ${type}`), schemaView(c.schema));
    const codes = el('ul');
    for (const [code, r] of Object.entries(op.responses || {})) codes.append(el('li', {}, el('code', {}, code), ` ${r.description || ''}`));
    section.append(el('h3', {}, 'responses'), codes);
    main.append(section);
  }
}
