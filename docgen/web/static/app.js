// docgen serve: the page. Everything goes through the JSON API (/api/…); nothing is kept on the
// server between requests, so the page holds the current outline and sends it with each change.
"use strict";

const state = {
  outline: null, yaml: "", importFindings: [], result: null, schema: null, profileYaml: null, templatesZip: null,
};
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function busy(message) {
  $("status").textContent = message || "";
  for (const id of ["paste-go", "upload-go", "yaml-go"]) $(id).disabled = Boolean(message);
}

async function api(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    throw new Error("无法连接服务器：" + err.message);
  }
  if (!response.ok) {
    let message = `请求失败（${response.status}）`;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

// --- import and render ----------------------------------------------------------------------------
async function importDraft(form) {
  showError("");
  busy("正在识别…");
  try {
    const data = await (await api("/api/import", { method: "POST", body: form })).json();
    state.outline = data.outline;
    state.importFindings = data.findings;
    state.yaml = data.yaml;
    drawStructure(data.structure);
    await render([], { yaml: data.yaml });  // the imported YAML keeps its comments on the guesses
  } catch (err) {
    showError(err.message);
  } finally {
    busy("");
  }
}

function profileFields() {
  const preset = $("preset").value;
  return preset === "upload" ? { profile_yaml: state.profileYaml || "" } : { preset };
}

async function render(edits, source) {
  showError("");
  busy("正在排版…");
  const body = { edits, import_findings: state.importFindings, ...profileFields() };
  if (state.templatesZip) body.templates_zip = state.templatesZip;
  if (source && source.yaml !== undefined) body.yaml = source.yaml;
  else body.outline = state.outline;
  try {
    const data = await (await api("/api/render", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    })).json();
    state.result = data;
    state.outline = data.outline;
    state.yaml = data.yaml;
    $("yaml-text").value = data.yaml;  // the outline editor always shows the current outline
    drawStructure(data.structure);
    drawPreview(data);
  } catch (err) {
    showError(err.message);
  } finally {
    busy("");
  }
}

// --- the structure ---------------------------------------------------------------------------------
function findingList(findings, id) {
  const list = id ? $(id) : el("ul", { class: "findings" });
  list.replaceChildren(...findings.map((f) =>
    el("li", { class: f.severity, title: f.code, text: `${f.label} ${f.code}：${f.message}` })));
  return list;
}

function drawStructure(view) {
  $("structure-empty").hidden = true;
  $("structure-body").hidden = false;
  const kind = $("kind");
  kind.replaceChildren(...Object.entries(view.kinds).map(([value, label]) =>
    el("option", { value, text: label, selected: value === view.kind })));
  findingList(view.kind_findings, "kind-findings");
  findingList(view.general, "general-findings");
  $("general-count").textContent = view.general.length;
  $("fields").replaceChildren(...view.fields.map(drawField));
  $("nodes").replaceChildren(...view.nodes.map(drawNode));
}

function drawField(field) {
  const id = "field-" + field.key;
  const input = field.long || field.list
    ? el("textarea", { id, "data-key": field.key })
    : el("input", { id, type: "text", "data-key": field.key });
  input.value = field.value;
  input.disabled = field.readonly;
  input.addEventListener("change", () => render([{ op: "set", path: field.key, value: input.value }]));
  const hint = field.readonly ? "（含正文，请在“提纲（YAML）”中修改）" : field.list ? "（每行一项）" : "";
  return el("div", { class: "field" }, el("label", { for: id, text: field.label + hint }), input,
    field.findings.length ? findingList(field.findings) : null);
}

function drawNode(node) {
  const level = el("select", { "aria-label": "层级", "data-path": node.path, class: "level" },
    el("option", { value: "1", text: "一级 一、", selected: node.level === 1 }),
    el("option", { value: "2", text: "二级 （一）", selected: node.level === 2 }));
  level.addEventListener("change", () => render([{ op: "level", path: node.path, level: Number(level.value) }]));
  const heading = el("input", { type: "text", "data-path": node.path, class: "heading", "aria-label": "标题",
    value: node.heading });
  heading.addEventListener("change", () => render([{ op: "set", path: node.path + ".heading", value: heading.value }]));
  return el("li", { class: "level-" + node.level, "data-path": node.path },
    el("div", { class: "head" }, el("span", { class: "number", text: node.number }), heading, level),
    node.text ? el("div", { class: "excerpt", text: node.text + (node.text.length >= 80 ? "…" : "") }) : null,
    node.findings.length ? findingList(node.findings) : null);
}

// --- the preview and downloads --------------------------------------------------------------------
function drawPreview(data) {
  $("page-count").textContent = `共 ${data.page_count} 页`;
  $("notices").replaceChildren(...data.notices.map((n) => el("li", { text: n })));
  $("notice-count").textContent = data.notices.length;
  $("notices-box").hidden = data.notices.length === 0;
  $("pages").replaceChildren(...data.pages.map((png, i) => el("figure", {},
    el("img", { src: "data:image/png;base64," + png, alt: `第 ${i + 1} 页`, class: "page" }),
    el("figcaption", { text: `第 ${i + 1} 页` }))));
  for (const id of ["dl-docx", "dl-pdf", "dl-yaml"]) $(id).disabled = false;
}

function bytesOf(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function save(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const MEDIA = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
};

function download(fmt) {
  const data = state.result;
  if (!data) return;
  if (fmt === "yaml") save(data.name + ".yaml", new Blob([data.yaml], { type: "application/yaml" }));
  else save(`${data.name}.${fmt}`, new Blob([bytesOf(data[fmt])], { type: MEDIA[fmt] }));
}

// --- check ----------------------------------------------------------------------------------------
async function checkUpload() {
  showError("");
  const file = $("draft-file").files[0];
  if (!file) { showError("请先选择要检查的文件"); return; }
  const form = new FormData();
  form.append("file", file);
  if ($("preset").value === "upload" && state.profileYaml) {
    form.append("profile", new Blob([state.profileYaml]), "样式.yaml");
  } else form.append("preset", $("preset").value);
  $("check-summary").textContent = "正在检查…";
  $("check-findings").replaceChildren();
  try {
    const data = await (await api("/api/check", { method: "POST", body: form })).json();
    $("check-summary").textContent = data.findings.length
      ? `共 ${data.findings.length} 条，其中错误 ${data.errors} 条` : "未发现问题。";
    findingList(data.findings, "check-findings");
  } catch (err) {
    $("check-summary").textContent = "";
    showError(err.message);
  }
}

// --- batch -----------------------------------------------------------------------------------------
async function runBatch() {
  showError("");
  const outline = $("batch-outline").files[0];
  const data = $("batch-data").files[0];
  if (!outline || !data) { showError("请选择提纲文件和数据表"); return; }
  const form = new FormData();
  form.append("outline", outline);
  form.append("data", data);
  form.append("name", $("batch-name").value || "{序号}");
  if ($("batch-docx").checked) form.append("formats", "docx");
  if ($("batch-pdf").checked) form.append("formats", "pdf");
  if ($("preset").value === "upload" && state.profileYaml) {
    form.append("profile", new Blob([state.profileYaml]), "样式.yaml");
  } else form.append("preset", $("preset").value);
  const bar = $("batch-progress");
  bar.hidden = false;
  bar.removeAttribute("value");  // indeterminate until the first row is done
  $("batch-status").textContent = "正在上传…";
  $("batch-download").hidden = true;
  $("batch-results").replaceChildren();
  $("batch-go").disabled = true;
  try {
    const response = await api("/api/batch?stream=true", { method: "POST", body: form });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n")) >= 0) {
        batchEvent(JSON.parse(buffer.slice(0, cut)));
        buffer = buffer.slice(cut + 1);
      }
      if (done) break;
    }
  } catch (err) {
    showError(err.message);
    $("batch-status").textContent = "";
  } finally {
    $("batch-go").disabled = false;
  }
}

function batchEvent(event) {
  const bar = $("batch-progress");
  if (event.progress !== undefined) {
    bar.max = event.total;
    bar.value = event.progress;
    $("batch-status").textContent = `已完成 ${event.progress} / ${event.total} 行`;
  } else if (event.error) {
    showError(event.error);
  } else if (event.done) {
    $("batch-status").textContent = `成功 ${event.succeeded} 行，失败 ${event.failed} 行`;
    const link = $("batch-download");
    link.href = URL.createObjectURL(new Blob([bytesOf(event.zip)], { type: "application/zip" }));
    link.download = "批量生成.zip";
    link.hidden = false;
    const failed = event.results.filter((r) => r.status !== "成功");
    $("batch-results").replaceChildren(...failed.map((r) => el("tr", {},
      el("td", { text: `第 ${r.row} 行` }), el("td", { text: r.status }), el("td", { text: r.reason }))));
  }
}

// --- wiring ----------------------------------------------------------------------------------------
function switchTab(name) {
  for (const button of document.querySelectorAll(".tabs button")) {
    button.classList.toggle("active", button.dataset.tab === name);
  }
  for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== "tab-" + name;
}

async function loadSchema() {
  try {
    state.schema = await (await api("/api/schema")).json();
    const rows = Object.entries(state.schema.labels).map(([key, label]) =>
      el("tr", {}, el("td", { text: key }), el("td", { text: label })));
    $("templates-label").hidden = !state.schema.allow_templates;
    $("field-help").replaceChildren(el("tr", {}, el("th", { text: "键名" }), el("th", { text: "中文键名" })), ...rows);
  } catch (err) {
    showError(err.message);
  }
}

async function base64Of(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

async function readText(file) {
  return new TextDecoder("utf-8").decode(await file.arrayBuffer());
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".tabs button")) {
    button.addEventListener("click", () => switchTab(button.dataset.tab));
  }
  $("paste-go").addEventListener("click", () => {
    const text = $("paste-text").value;
    if (!text.trim()) { showError("请先粘贴文字"); return; }
    const form = new FormData();
    // sent as a file part: form fields are limited to 1 MB, uploads to the server's limit
    form.append("file", new Blob([text], { type: "text/plain" }), "粘贴的文字.txt");
    if ($("paste-kind").value) form.append("kind", $("paste-kind").value);
    importDraft(form);
  });
  $("upload-go").addEventListener("click", () => {
    const file = $("draft-file").files[0];
    if (!file) { showError("请先选择稿子文件"); return; }
    const form = new FormData();
    form.append("file", file);
    importDraft(form);
  });
  $("check-go").addEventListener("click", checkUpload);
  $("yaml-go").addEventListener("click", () => {
    state.importFindings = [];
    render([], { yaml: $("yaml-text").value });
  });
  $("starter").addEventListener("change", () => {
    const kind = $("starter").value;
    if (kind && state.schema) $("yaml-text").value = state.schema.starters[kind];
  });
  $("outline-file").addEventListener("change", async () => {
    const file = $("outline-file").files[0];
    if (file) $("yaml-text").value = await readText(file);
  });
  $("kind").addEventListener("change", () => render([{ op: "kind", kind: $("kind").value }]));
  $("preset").addEventListener("change", () => {
    if ($("preset").value === "upload") $("profile-file").click();
    else if (state.outline) render([]);
  });
  $("profile-file").addEventListener("change", async () => {
    const file = $("profile-file").files[0];
    if (!file) return;
    state.profileYaml = await readText(file);
    $("profile-name").textContent = file.name;
    if (state.outline) render([]);
  });
  $("templates-file").addEventListener("change", async () => {
    const file = $("templates-file").files[0];
    state.templatesZip = file ? await base64Of(file) : null;
    if (state.outline) render([]);
  });
  $("dl-docx").addEventListener("click", () => download("docx"));
  $("dl-pdf").addEventListener("click", () => download("pdf"));
  $("dl-yaml").addEventListener("click", () => download("yaml"));
  $("batch-go").addEventListener("click", runBatch);
  loadSchema();
});
