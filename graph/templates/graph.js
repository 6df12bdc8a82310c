// The nekg graph page: draws the embedded JSON with vis-network, wires search, filters
// and the details panel. Every text from the graph goes into the page through
// textContent or plain-string tooltips, never as markup.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("nekg-data").textContent);
  var options = JSON.parse(document.getElementById("nekg-options").textContent);
  var view = data.view || { hideIsolated: false, clusterBy: "none", typeNames: {} };
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var hiddenTypes = new Set();
  var hiddenRelations = new Set();
  var isolatedBox = document.getElementById("hide-isolated");
  var hideIsolated = isolatedBox ? isolatedBox.checked : false;
  var revealed = new Set(); // entities without relations shown because they were looked up
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) {
      return !hiddenTypes.has(n.type) && !(hideIsolated && n.degree === 0 && !revealed.has(n.id));
    }
  });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenRelations.has(e.rel); } });
  var container = document.getElementById("network");
  // Positions come with the data and physics is off: the page is ready once drawn.
  var state = { stabilized: false, ready: false };
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  function ready() {
    state.stabilized = true;
    state.ready = true;
  }
  network.once("afterDrawing", ready);
  if (data.nodes.length === 0) { ready(); }

  // Groups: clusters by place or type that open on click ---------------------------------
  var CLUSTER_MIN = 3;
  var groupSelect = document.getElementById("cluster-by");
  var clusterBy = groupSelect ? groupSelect.value : "none";
  var clusters = [];

  function keepPositions(clusterPosition, positions) { return positions; }

  function isCluster(id) { return network.body.nodes[id] !== undefined && network.isCluster(id); }

  function openGroup(id) {
    if (isCluster(id)) { network.openCluster(id, { releaseFunction: keepPositions }); }
  }

  function ungroup() {
    clusters.forEach(function (id) {
      if (isCluster(id)) { network.openCluster(id, { releaseFunction: keepPositions }, false); }
    });
    clusters = [];
  }

  function group() {
    if (clusterBy === "none") { return; }
    var groups = new Map();
    network.body.nodeIndices.forEach(function (id) {
      var n = byId[id];
      var key = n && (clusterBy === "place" ? n.cluster : n.type);
      if (key === undefined) { return; }
      if (!groups.has(key)) { groups.set(key, []); }
      groups.get(key).push(n);
    });
    var keys = Array.from(groups.keys()).sort().filter(function (key) {
      return groups.get(key).length >= CLUSTER_MIN;
    });
    // Type groups would all sit near the middle: put them on a ring round the drawing.
    var shown = network.body.nodeIndices.map(function (id) { return byId[id]; }).filter(Boolean);
    var xs = shown.map(function (n) { return n.x; }), ys = shown.map(function (n) { return n.y; });
    var middle = { x: (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2,
                   y: (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2 };
    var ring = Math.max(200, (Math.max.apply(null, xs) - Math.min.apply(null, xs)) / 3);
    keys.forEach(function (key, i) {
      var members = groups.get(key);
      var inside = new Set(members.map(function (m) { return m.id; }));
      var head = clusterBy === "place" && inside.has(key) ? byId[key] : null;
      var x = 0, y = 0;
      members.forEach(function (m) { x += m.x; y += m.y; });
      x /= members.length;
      y /= members.length;
      if (clusterBy === "type") {
        x = middle.x + ring * Math.cos(2 * Math.PI * i / keys.length);
        y = middle.y + ring * Math.sin(2 * Math.PI * i / keys.length);
      }
      var name = clusterBy === "place"
        ? (byId[key] ? byId[key].label : key)
        : (view.typeNames[key] || key) + " " + key;
      var id = "cluster " + clusterBy + " " + key;
      network.cluster({
        joinCondition: function (n) { return inside.has(n.id); },
        clusterNodeProperties: {
          id: id,
          label: name + " (" + members.length + ")",
          title: name + "\n" + members.length + " 个实体 entities\n点击展开 Click to open",
          shape: (head || members[0]).shape,
          color: (head || members[0]).color,
          borderWidth: 3,
          value: members.length,
          // a group is named from further out than a single entity
          scaling: { label: { enabled: true, min: 22, max: 40, drawThreshold: 4 } },
          x: head ? head.x : x,
          y: head ? head.y : y,
        },
      }, false);
      clusters.push(id);
    });
    network.body.emitter.emit("_dataChanged");
  }

  // Filters, hidden loners and groups change together: open the groups, filter, regroup.
  function regroup() {
    ungroup();
    nodeView.refresh();
    edgeView.refresh();
    network.body.emitter.emit("_dataChanged");
    group();
  }
  group();

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
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (isCluster(id)) { openGroup(id); return; }
      var node = nodes.get(id);
      if (node) { showNode(node); }
    } else if (params.edges.length) {
      var edge = edges.get(params.edges[0]);
      if (edge) { showEdge(edge); }
    }
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

  function focusNode(found) {
    if (hiddenTypes.has(found.type) || (hideIsolated && found.degree === 0)) {
      hiddenTypes.delete(found.type);
      var box = document.querySelector('#type-filters input[data-type="' + CSS.escape(found.type) + '"]');
      if (box) { box.checked = true; }
      if (found.degree === 0) { revealed.add(found.id); }
      regroup();
    }
    network.findNode(found.id).forEach(function (id) { if (id !== found.id) { openGroup(id); } });
    network.selectNodes([found.id]);
    network.focus(found.id, { scale: 1.0, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(nodes.get(found.id));
    return found.id;
  }

  function focus(query) {
    var found = find(query);
    if (!found) {
      status.textContent = "未找到 Not found: " + query;
      return null;
    }
    status.textContent = "";
    return focusNode(found);
  }

  document.getElementById("search-go").addEventListener("click", function () { focus(search.value); });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); focus(search.value); }
  });
  search.addEventListener("change", function () {
    if (search.value && find(search.value) && norm(find(search.value).label) === norm(search.value)) { focus(search.value); }
  });

  // Filters --------------------------------------------------------------------------
  function wire(selector, key, hidden) {
    document.querySelectorAll(selector).forEach(function (box) {
      box.addEventListener("change", function () {
        var value = box.dataset[key];
        if (box.checked) { hidden.delete(value); } else { hidden.add(value); }
        regroup();
      });
    });
  }
  wire("#type-filters input", "type", hiddenTypes);
  wire("#relation-filters input", "rel", hiddenRelations);
  if (isolatedBox) {
    isolatedBox.addEventListener("change", function () {
      hideIsolated = isolatedBox.checked;
      revealed.clear();
      regroup();
    });
  }
  if (groupSelect) {
    groupSelect.addEventListener("change", function () {
      ungroup();
      clusterBy = groupSelect.value;
      network.body.emitter.emit("_dataChanged");
      group();
    });
  }

  // The entities without relations, listed (built when first opened) ----------------------
  var loners = document.getElementById("loners");
  if (loners) {
    loners.addEventListener("toggle", function () {
      var list = document.getElementById("loner-list");
      if (!loners.open || list.childElementCount) { return; }
      data.nodes.filter(function (n) { return n.degree === 0; }).sort(function (a, b) {
        return a.type < b.type ? -1 : a.type > b.type ? 1 : a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
      }).forEach(function (n) {
        var item = el("li", n.label + " · " + (view.typeNames[n.type] || n.type));
        item.dataset.id = n.id;
        item.addEventListener("click", function () { focusNode(n); });
        list.appendChild(item);
      });
    });
  }

  window.nekg = {
    network: network, nodes: nodes, edges: edges, state: state, find: focus,
    clusters: function () { return clusters.filter(isCluster); }
  };
})();
