// The nekg graph page: draws the embedded JSON with vis-network, wires search, filters
// and the details panel. Every text from the graph goes into the page through
// textContent or plain-string tooltips, never as markup.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("nekg-data").textContent);
  var options = JSON.parse(document.getElementById("nekg-options").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hiddenTypes = new Set();
  var hiddenRelations = new Set();
  var hideIsolated = false;
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return !hiddenTypes.has(n.type) && !(hideIsolated && n.degree === 0); }
  });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenRelations.has(e.rel); } });
  var container = document.getElementById("network");
  var state = { stabilized: false };
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  var progress = document.getElementById("progress");

  function settle() {
    if (state.stabilized) { return; }
    network.setOptions({ physics: false });
    state.stabilized = true;
    progress.textContent = "";
  }
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "· 布局 layout " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (data.nodes.length === 0) { settle(); }

  // Details panel --------------------------------------------------------------------
  var details = document.getElementById("details");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function showNode(node) {
    details.replaceChildren();
    details.appendChild(el("h3", node.label));
    details.appendChild(el("p", node.title.split("\n").slice(1).join("\n"))).style.whiteSpace = "pre-wrap";
    var out = edges.get({ filter: function (e) { return e.from === node.id || e.to === node.id; } });
    if (out.length) {
      details.appendChild(el("p", "关系 Relations (" + out.length + ")"));
      var list = el("ul");
      out.forEach(function (e) {
        var head = nodes.get(e.from), tail = nodes.get(e.to);
        var item = el("li", (head ? head.label : e.from) + " —" + e.label + "→ " + (tail ? tail.label : e.to));
        item.style.cursor = "pointer";
        item.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e); });
        list.appendChild(item);
      });
      details.appendChild(list);
    }
    var figures = (node.details && node.details.figures) || [];
    if (figures.length) {
      details.appendChild(el("p", "数据 Figures (" + figures.length + ")"));
      var table = el("ul");
      figures.forEach(function (f) {
        var item = el("li", f.text + " · " + f.measure + (f.period ? " · " + f.period : ""));
        item.title = f.sentence;
        table.appendChild(item);
      });
      details.appendChild(table);
    }
  }

  function showEdge(edge) {
    var head = nodes.get(edge.from), tail = nodes.get(edge.to);
    details.replaceChildren();
    details.appendChild(el("h3", (head ? head.label : edge.from) + " —" + edge.label + "→ " + (tail ? tail.label : edge.to)));
    details.appendChild(el("p", edge.predicate, "iri"));
    details.appendChild(el("p", "证据 Evidence (" + edge.evidence.length + ")"));
    edge.evidence.forEach(function (ev) {
      details.appendChild(el("blockquote", (ev.role ? "【" + ev.role + "】" : "") + ev.sentence));
      var where = ["《" + ev.title + "》", ev.date, "[" + ev.start + "–" + ev.end + "]"];
      if (ev.method) { where.push(ev.method); }
      if (ev.confidence !== null) { where.push("confidence " + ev.confidence); }
      details.appendChild(el("p", where.filter(Boolean).join(" · "), "source"));
      details.appendChild(el("p", ev.article, "iri"));
    });
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(nodes.get(params.nodes[0])); }
    else if (params.edges.length) { showEdge(edges.get(params.edges[0])); }
  });

  // Search ---------------------------------------------------------------------------
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var names = document.getElementById("names");

  data.nodes.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (name, i) {
      var option = document.createElement("option");
      option.value = name;
      option.label = i === 0 ? n.type : "→ " + n.label;
      names.appendChild(option);
    });
  });

  function norm(text) { return String(text).normalize("NFKC").toLowerCase().trim(); }

  function find(query) {
    var q = norm(query);
    if (!q) { return null; }
    var best = null, bestRank = 4;
    data.nodes.forEach(function (n) {
      [n.label].concat(n.aliases).forEach(function (name) {
        var t = norm(name);
        var rank = t === q ? 0 : t.indexOf(q) === 0 ? 1 : t.indexOf(q) > 0 ? 2 : 4;
        if (rank < bestRank || (rank === bestRank && best && n.value > best.value)) {
          best = n; bestRank = rank;
        }
      });
    });
    return best;
  }

  function focus(query) {
    var found = find(query);
    if (!found) {
      status.textContent = "未找到 Not found: " + query;
      return null;
    }
    status.textContent = "";
    if (hiddenTypes.has(found.type) || (hideIsolated && found.degree === 0)) {
      hiddenTypes.delete(found.type);
      var box = document.querySelector('#type-filters input[data-type="' + CSS.escape(found.type) + '"]');
      if (box) { box.checked = true; }
      if (found.degree === 0 && isolatedBox) { isolatedBox.checked = false; hideIsolated = false; }
      nodeView.refresh();
    }
    network.selectNodes([found.id]);
    network.focus(found.id, { scale: 1.0, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(nodes.get(found.id));
    return found.id;
  }

  document.getElementById("search-go").addEventListener("click", function () { focus(search.value); });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); focus(search.value); }
  });
  search.addEventListener("change", function () {
    if (search.value && find(search.value) && norm(find(search.value).label) === norm(search.value)) { focus(search.value); }
  });

  // Filters --------------------------------------------------------------------------
  function wire(selector, key, hidden, view) {
    document.querySelectorAll(selector).forEach(function (box) {
      box.addEventListener("change", function () {
        var value = box.dataset[key];
        if (box.checked) { hidden.delete(value); } else { hidden.add(value); }
        view.refresh();
      });
    });
  }
  wire("#type-filters input", "type", hiddenTypes, nodeView);
  var isolatedBox = document.getElementById("hide-isolated");
  if (isolatedBox) {
    isolatedBox.addEventListener("change", function () { hideIsolated = isolatedBox.checked; nodeView.refresh(); });
  }
  wire("#relation-filters input", "rel", hiddenRelations, edgeView);

  window.nekg = { network: network, nodes: nodes, edges: edges, state: state, find: focus };
})();
