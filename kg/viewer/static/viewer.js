/* kg graph viewer: filters, search, tooltips and the details panel over a vis-network drawing.
 * Every string from the graph reaches the page through textContent / createTextNode (see el()),
 * never as HTML; links are only ever http(s). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta, legend = meta.legend, articles = data.articles;
  var POLARITIES = ["support", "oppose", "neutral"];
  var RELATION_NAMES = {
    "holds-office": "holds office in", "member-of": "member of", "part-of": "part of",
    "speaks-for": "speaks for", "seat": "seated at", "metonym-for": "stands for",
    "located-in": "located in", "participant": "took part in", "location": "held at",
    "relation": "relations"
  };

  /* ---------- safe DOM helpers ---------- */

  // el("p", {className: "x"}, "text", child): strings become text nodes, never markup
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "href") { setHref(node, props[k]); }
        else if (k === "dataset") { Object.assign(node.dataset, props[k]); }
        else { node[k] = props[k]; }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }
  function setHref(a, url) {
    var u = safeUrl(url);
    if (u) { a.href = u; a.target = "_blank"; a.rel = "noopener noreferrer"; }
  }
  function wikidataUrl(iri) {
    var m = /^https?:\/\/www\.wikidata\.org\/entity\/(Q[0-9]+)$/.exec(iri || "");
    return m ? { url: "https://www.wikidata.org/wiki/" + m[1], qid: m[1] } : null;
  }
  function fmt(x, digits) { return typeof x === "number" ? x.toFixed(digits) : "–"; }
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  /* ---------- data ---------- */

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  var kindStyle = {};
  legend.kinds.forEach(function (k) { kindStyle[k.kind] = k; });
  function label(id) { return nodeById[id] ? nodeById[id].label : id; }
  function isStance(e) { return e.rel === "stance"; }

  /* ---------- filters ---------- */

  var state = { polarity: {}, kinds: {}, onlyStances: false, issue: "", source: "" };
  POLARITIES.forEach(function (p) { state.polarity[p] = true; });
  legend.kinds.forEach(function (k) { state.kinds[k.kind] = true; });
  var visibleNodes = new Set(), visibleEdges = new Set();

  function edgeFocus() {
    return state.onlyStances || state.issue !== "" || state.source !== "" ||
      POLARITIES.some(function (p) { return !state.polarity[p]; });
  }
  function edgePasses(e) {
    var a = nodeById[e.from], b = nodeById[e.to];
    if (!a || !b || !state.kinds[a.kind] || !state.kinds[b.kind]) { return false; }
    if (isStance(e)) {
      if (!state.polarity[e.polarity]) { return false; }
      if (state.issue !== "" && e.to !== state.issue) { return false; }
    } else if (state.onlyStances || state.issue !== "") {
      return false;
    }
    return state.source === "" || (e.articles || []).indexOf(Number(state.source)) >= 0;
  }
  function computeVisible() {
    visibleEdges = new Set();
    var touched = new Set();
    data.edges.forEach(function (e) {
      if (edgePasses(e)) { visibleEdges.add(e.id); touched.add(e.from); touched.add(e.to); }
    });
    var focus = edgeFocus();
    visibleNodes = new Set();
    data.nodes.forEach(function (n) {
      if (state.kinds[n.kind] && (!focus || touched.has(n.id) || n.id === state.issue)) {
        visibleNodes.add(n.id);
      }
    });
  }
  computeVisible();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visibleEdges.has(e.id); } });

  function applyFilters() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    hideTooltip();
    updateStatus();
    document.getElementById("kg-empty").hidden = visibleNodes.size > 0;
  }

  function updateStatus() {
    var stances = 0, stancesShown = 0, relations = 0, relationsShown = 0;
    data.edges.forEach(function (e) {
      if (isStance(e)) { stances++; if (visibleEdges.has(e.id)) { stancesShown++; } }
      else { relations++; if (visibleEdges.has(e.id)) { relationsShown++; } }
    });
    document.getElementById("kg-status").textContent =
      "Showing " + visibleNodes.size.toLocaleString("en") + " of " + plural(data.nodes.length, "node") +
      " · " + stancesShown.toLocaleString("en") + " of " + plural(stances, "stance") +
      " · " + relationsShown.toLocaleString("en") + " of " + plural(relations, "relation");
  }

  /* ---------- controls ---------- */

  function swatch(color, shape) {
    return el("span", { className: "kg-swatch kg-shape-" + (shape || "line"), style: "--c:" + color });
  }
  function checkbox(container, id, text, checked, color, shape, onChange) {
    var input = el("input", { type: "checkbox", id: id, checked: checked });
    input.addEventListener("change", function () { onChange(input.checked); });
    container.appendChild(el("label", { className: "kg-check", htmlFor: id }, input, swatch(color, shape), text));
  }
  var polarityBox = document.getElementById("kg-polarity");
  POLARITIES.forEach(function (p) {
    checkbox(polarityBox, "kg-polarity-" + p, p, true, legend.polarity[p], "line", function (on) {
      state.polarity[p] = on; applyFilters();
    });
  });
  var kindsBox = document.getElementById("kg-kinds");
  legend.kinds.forEach(function (k) {
    var count = data.nodes.filter(function (n) { return n.kind === k.kind; }).length;
    checkbox(kindsBox, "kg-kind-" + k.kind, k.name + " (" + count.toLocaleString("en") + ")", true,
      k.color, k.shape, function (on) { state.kinds[k.kind] = on; applyFilters(); });
  });
  var onlyStances = document.getElementById("kg-only-stances");
  onlyStances.addEventListener("change", function () { state.onlyStances = onlyStances.checked; applyFilters(); });

  var issueSelect = document.getElementById("kg-issue");
  var stancesOn = {};
  data.edges.forEach(function (e) { if (isStance(e)) { stancesOn[e.to] = (stancesOn[e.to] || 0) + 1; } });
  data.nodes.filter(function (n) { return n.kind === "issue" && stancesOn[n.id] && !n.aggregate; })
    .sort(function (a, b) { return a.label.localeCompare(b.label); })
    .forEach(function (n) {
      issueSelect.appendChild(el("option", { value: n.id }, n.label + " (" + stancesOn[n.id] + ")"));
    });
  issueSelect.addEventListener("change", function () { state.issue = issueSelect.value; applyFilters(); });

  var sourceSelect = document.getElementById("kg-source");
  var used = new Set();
  data.edges.forEach(function (e) { (e.articles || []).forEach(function (a) { used.add(a); }); });
  articles.forEach(function (a, i) {
    if (used.has(i)) {
      sourceSelect.appendChild(el("option", { value: String(i) }, (a.published ? a.published + " · " : "") + a.title));
    }
  });
  sourceSelect.addEventListener("change", function () { state.source = sourceSelect.value; applyFilters(); });

  document.getElementById("kg-reset").addEventListener("click", function () {
    POLARITIES.forEach(function (p) { state.polarity[p] = true; document.getElementById("kg-polarity-" + p).checked = true; });
    legend.kinds.forEach(function (k) { state.kinds[k.kind] = true; document.getElementById("kg-kind-" + k.kind).checked = true; });
    state.onlyStances = false; onlyStances.checked = false;
    state.issue = ""; issueSelect.value = "";
    state.source = ""; sourceSelect.value = "";
    applyFilters();
  });

  var edgeLegend = document.getElementById("kg-legend-edges");
  POLARITIES.forEach(function (p) {
    edgeLegend.appendChild(el("li", null, swatch(legend.polarity[p], "line"), p + " stance"));
  });
  edgeLegend.appendChild(el("li", null, swatch(legend.relation, "dashed"),
    "relation (office, membership, part of, place…)"));

  /* ---------- network ---------- */

  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var freeze = document.getElementById("kg-freeze");
  var loading = document.getElementById("kg-loading");
  var api = window.kgViewer = {
    network: network, nodes: nodes, edges: edges, ready: false, readyAt: null,
    visibleNodeIds: function () { return Array.from(visibleNodes); },
    visibleEdgeIds: function () { return Array.from(visibleEdges); }
  };

  function settle() {
    if (api.ready) { return; }
    network.setOptions({ physics: { enabled: false } });
    freeze.checked = true;
    loading.hidden = true;
    api.ready = true;
    api.readyAt = performance.now();
    document.body.dataset.ready = "true";
  }
  network.on("stabilizationProgress", function (p) {
    loading.textContent = "Laying out " + plural(data.nodes.length, "node") + "… " +
      Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  if (data.nodes.length === 0) { settle(); }
  freeze.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: !freeze.checked } });
  });
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 } });
  });

  /* ---------- tooltip ---------- */

  var tooltip = document.getElementById("kg-tooltip");
  var stage = container.parentNode;
  var hoverLabel = null;

  function showTooltip(content, pointer) {
    clear(tooltip);
    append(tooltip, content);
    tooltip.hidden = false;
    var w = stage.clientWidth, h = stage.clientHeight;
    var x = Math.min(pointer.x + 14, w - tooltip.offsetWidth - 8);
    var y = pointer.y + 14 + tooltip.offsetHeight > h ? pointer.y - tooltip.offsetHeight - 10 : pointer.y + 14;
    tooltip.style.left = Math.max(4, x) + "px";
    tooltip.style.top = Math.max(4, y) + "px";
  }
  function hideTooltip() {
    tooltip.hidden = true;
    // vis-network keeps a label it is told to drop, so a blank one stands for none
    if (hoverLabel) { edges.update({ id: hoverLabel, label: " " }); hoverLabel = null; }
  }

  function articleLine(index) {
    var a = articles[index];
    if (!a) { return null; }
    var title = safeUrl(a.url) ? el("a", { href: a.url }, a.title) : el("span", null, a.title);
    var bits = [a.published, a.publisher].filter(Boolean).join(", ");
    return el("span", { className: "kg-source" }, title, bits ? " (" + bits + ")" : "");
  }
  function evidenceItem(ev) {
    var act = (ev.negated ? "not " : "") + ev.act;
    var metaBits = [el("span", { className: "kg-act" }, act)];
    if (ev.addressee) { metaBits.push(" · addressed to ", el("strong", null, ev.addresseeLabel || label(ev.addressee))); }
    metaBits.push(" · confidence " + fmt(ev.confidence, 2));
    if (ev.date) { metaBits.push(" · " + ev.date); }
    if (ev.method) { metaBits.push(" · " + ev.method); }
    return el("li", { className: "kg-evidence" },
      el("blockquote", null, ev.quote),
      el("div", { className: "kg-meta" }, metaBits),
      el("div", { className: "kg-meta" }, "Source: ", articleLine(ev.article) || "unknown"));
  }
  function pill(polarity) { return el("span", { className: "kg-pill kg-" + polarity }, polarity); }

  function edgeHeading(e) {
    var relation = isStance(e) ? null : (RELATION_NAMES[e.rel] || e.rel);
    return el("div", { className: "kg-edge-head" },
      el("strong", null, label(e.from)), " → ", el("strong", null, label(e.to)),
      el("div", { className: "kg-meta" },
        isStance(e) ? [pill(e.polarity), " ", e.caption] : [relation, e.caption && e.caption !== relation ? ": " + e.caption : ""],
        isStance(e) && !e.aggregate ? " · confidence " + fmt(e.confidence, 2) : "",
        " · " + plural(e.sources || 1, "source")));
  }
  function edgeTooltip(e) {
    if (e.aggregate) {
      return [edgeHeading(e), el("p", { className: "kg-small" },
        "Aggregated edge of the summarised view; narrow the graph to see each one.")];
    }
    var ev = e.evidence || [];
    var list = el("ul", { className: "kg-evidence-list" }, ev.slice(0, 2).map(evidenceItem));
    return [edgeHeading(e), ev.length ? list : null,
      ev.length > 2 ? el("p", { className: "kg-small" }, "and " + (ev.length - 2) + " more: click the edge") : null];
  }
  function nodeTooltip(n) {
    var held = 0, about = 0;
    data.edges.forEach(function (e) {
      if (isStance(e)) { if (e.from === n.id) { held++; } if (e.to === n.id) { about++; } }
    });
    return [el("strong", null, n.label),
      el("div", { className: "kg-meta" }, n.cls || kindStyle[n.kind].name),
      (n.offices || []).map(function (o) { return el("div", { className: "kg-meta" }, o.role + ", " + o.orgLabel); }),
      el("div", { className: "kg-meta" }, plural(held, "stance") + " held · " + plural(about, "stance") + " about it")];
  }

  network.on("hoverEdge", function (p) {
    var e = edgeById[p.edge];
    if (!e) { return; }
    if (hoverLabel && hoverLabel !== e.id) { edges.update({ id: hoverLabel, label: " " }); }
    hoverLabel = e.id;
    edges.update({ id: e.id, label: e.caption || "" });
    showTooltip(edgeTooltip(e), p.pointer.DOM);
  });
  network.on("hoverNode", function (p) {
    var n = nodeById[p.node];
    if (n) { showTooltip(nodeTooltip(n), p.pointer.DOM); }
  });
  network.on("blurEdge", hideTooltip);
  network.on("blurNode", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  /* ---------- details panel ---------- */

  var details = document.getElementById("kg-details");
  var detailsBody = document.getElementById("kg-details-body");

  function openPanel(content) {
    clear(detailsBody);
    append(detailsBody, content);
    details.hidden = false;
    detailsBody.scrollTop = 0;
  }
  function closePanel() { details.hidden = true; network.unselectAll(); }
  document.getElementById("kg-details-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { closePanel(); } });

  function nodeLink(id) {
    var b = el("button", { type: "button", className: "kg-link" }, label(id));
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function edgeLink(e, text) {
    var b = el("button", { type: "button", className: "kg-link" }, text);
    b.addEventListener("click", function () { focusEdge(e.id); });
    return b;
  }
  function stanceItem(e, other) {
    var ev = e.evidence || [];
    return el("li", { className: "kg-stance" },
      el("div", null, pill(e.polarity), " ", nodeLink(other)),
      el("div", { className: "kg-meta" }, el("span", { className: "kg-act" }, e.caption || ""),
        e.aggregate ? "" : " · confidence " + fmt(e.confidence, 2), " · " + plural(e.sources || 1, "source"),
        " · ", edgeLink(e, ev.length > 1 ? "all " + ev.length + " quotes" : "details")),
      ev.length ? el("blockquote", null, ev[0].quote) : null);
  }
  // long lists (hubs, summary nodes) show the best-attested stances first, and only so many
  var LIST_LIMIT = 60;
  function stanceList(list, otherEnd) {
    var sorted = list.slice().sort(function (a, b) { return (b.sources || 0) - (a.sources || 0); });
    return [el("ul", { className: "kg-stances" }, sorted.slice(0, LIST_LIMIT).map(function (e) {
      return stanceItem(e, e[otherEnd]);
    })), sorted.length > LIST_LIMIT ? el("p", { className: "kg-small" }, "and " +
      (sorted.length - LIST_LIMIT).toLocaleString("en") + " more, less attested; filter to see them") : null];
  }

  function nodePanel(n) {
    var held = [], about = [], relations = [];
    data.edges.forEach(function (e) {
      if (isStance(e) && e.from === n.id) { held.push(e); }
      else if (isStance(e) && e.to === n.id) { about.push(e); }
      else if (!isStance(e) && (e.from === n.id || e.to === n.id)) { relations.push(e); }
    });
    var wd = wikidataUrl(n.wikidata);
    var parts = [
      el("h2", null, n.label),
      el("p", { className: "kg-meta" }, swatch(kindStyle[n.kind].color, kindStyle[n.kind].shape), " ", n.cls || kindStyle[n.kind].name,
        wd ? [" · ", el("a", { href: wd.url }, "Wikidata " + wd.qid)] : " · not linked to Wikidata"),
      n.description ? el("p", null, n.description) : null
    ];
    if (n.aggregate) {
      parts.push(el("p", { className: "kg-small" }, "This node stands for " + plural(n.aggregate, "node") +
        " merged by the summarised view."));
    }
    if ((n.offices || []).length) {
      parts.push(el("h3", null, "Offices"), el("ul", null, n.offices.map(function (o) {
        var span = [o.start ? "from " + o.start : "", o.end ? "until " + o.end : ""].filter(Boolean).join(" ");
        return el("li", null, o.role + ", ", nodeById[o.org] ? nodeLink(o.org) : o.orgLabel, span ? " (" + span + ")" : "");
      })));
    }
    parts.push(el("h3", null, "Stances held (" + held.length + ")"),
      held.length ? stanceList(held, "to") : el("p", { className: "kg-small" }, "None recorded."));
    if (about.length) {
      parts.push(el("h3", null, "Stances about it (" + about.length + ")"), stanceList(about, "from"));
    }
    if (relations.length) {
      parts.push(el("h3", null, "Relations (" + relations.length + ")"), el("ul", null, relations.slice(0, LIST_LIMIT).map(function (e) {
        var name = RELATION_NAMES[e.rel] || e.rel;
        var text = e.rel === "holds-office" ? name + " (" + e.caption + ")" : name;
        return e.from === n.id ? el("li", null, text + " ", nodeLink(e.to))
          : el("li", null, nodeLink(e.from), " " + text);
      })), relations.length > LIST_LIMIT ? el("p", { className: "kg-small" },
        "and " + (relations.length - LIST_LIMIT).toLocaleString("en") + " more") : null);
    }
    return parts;
  }
  function edgePanel(e) {
    var ev = e.evidence || [];
    return [el("h2", null, isStance(e) ? "Stance" : "Relation"), edgeHeading(e),
      e.aggregate ? el("p", { className: "kg-small" }, "Aggregated edge of the summarised view: " +
        plural(e.aggregate, isStance(e) ? "stance" : "relation") + ".") : null,
      ev.length ? [el("h3", null, "Evidence (" + ev.length + ")"),
        el("ul", { className: "kg-evidence-list" }, ev.map(evidenceItem))] : null,
      !isStance(e) && (e.articles || []).length ? [el("h3", null, "Stated in"),
        el("ul", null, e.articles.map(function (i) { return el("li", null, articleLine(i)); }))] : null];
  }

  function focusNode(id) {
    var n = nodeById[id];
    if (!n) { return; }
    if (!visibleNodes.has(id)) {
      openPanel([el("p", { className: "kg-small" }, "Hidden by the current filters."), nodePanel(n)]);
      return;
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 350 } });
    openPanel(nodePanel(n));
  }
  function focusEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    if (visibleEdges.has(id)) { network.selectEdges([id]); }
    openPanel(edgePanel(e));
  }
  api.focusNode = focusNode;
  api.focusEdge = focusEdge;

  network.on("click", function (p) {
    hideTooltip();
    if (p.nodes.length) { openPanel(nodePanel(nodeById[p.nodes[0]])); }
    else if (p.edges.length) { openPanel(edgePanel(edgeById[p.edges[0]])); }
    else { details.hidden = true; }
  });

  /* ---------- search ---------- */

  var search = document.getElementById("kg-search");
  var results = document.getElementById("kg-search-results");
  var ACTOR = { person: true, state: true, organisation: true };
  var searchable = data.nodes.filter(function (n) { return !n.aggregate; }).map(function (n) {
    return { node: n, label: n.label.toLowerCase(),
      aliases: (n.aliases || []).map(function (a) { return a.toLowerCase(); }) };
  });
  // rank: exact name, label prefix, alias prefix, word prefix, substring; then actors, then degree
  function rank(s, q) {
    if (s.label === q || s.aliases.indexOf(q) >= 0) { return 0; }
    if (s.label.indexOf(q) === 0) { return 1; }
    if (s.aliases.some(function (a) { return a.indexOf(q) === 0; })) { return 2; }
    var i = s.label.indexOf(q);
    if (i > 0 && /[^a-z0-9]/.test(s.label.charAt(i - 1))) { return 3; }
    if (i > 0) { return 4; }
    return s.aliases.some(function (a) { return a.indexOf(q) >= 0; }) ? 5 : -1;
  }
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var found = [];
    searchable.forEach(function (s) {
      var r = rank(s, q);
      if (r >= 0) { found.push({ r: r, n: s.node }); }
    });
    found.sort(function (a, b) {
      return a.r - b.r || (ACTOR[b.n.kind] ? 1 : 0) - (ACTOR[a.n.kind] ? 1 : 0) ||
        (b.n.degree || 0) - (a.n.degree || 0) || a.n.label.localeCompare(b.n.label);
    });
    return found.slice(0, 12).map(function (f) { return f.n; });
  }
  search.addEventListener("input", function () {
    clear(results);
    var found = matches(search.value);
    found.forEach(function (n) {
      var b = el("button", { type: "button", className: "kg-result" },
        swatch(kindStyle[n.kind].color, kindStyle[n.kind].shape), n.label,
        visibleNodes.has(n.id) ? null : el("span", { className: "kg-small" }, " (hidden)"));
      b.addEventListener("click", function () { focusNode(n.id); });
      results.appendChild(el("li", null, b));
    });
    if (search.value.trim() && !found.length) { results.appendChild(el("li", { className: "kg-small" }, "No match.")); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = matches(search.value);
      if (found.length) { focusNode(found[0].id); }
    }
  });

  applyFilters();
})();
