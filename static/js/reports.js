/* Charts and the map of the statistics dashboard (Apache ECharts, vendored). The page gives the
   data URL (same region, month and figure as the page) and the folder of the map files; a click
   on a region of the map opens that region's dashboard (a city: its counties). No inline script:
   the content security policy allows scripts from this site only. */
(function () {
  "use strict";
  var holder = document.getElementById("map") || document.getElementById("map-none");
  if (!holder || typeof echarts === "undefined") { return; }

  function chart(id) {
    var el = document.getElementById(id);
    return el ? echarts.init(el) : null;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function drawCategories(data) {
    var c = chart("chart-categories");
    if (!c) { return; }
    c.setOption({
      tooltip: {},
      grid: { left: 90, right: 20, top: 10, bottom: 30 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.categories.map(function (r) { return r.label; }) },
      series: [{ type: "bar", name: "户数", data: data.categories.map(function (r) { return r.households; }) }]
    });
  }

  function drawFlows(data) {
    var c = chart("chart-flows");
    if (!c) { return; }
    c.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["新增", "退出"] },
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: data.flows.map(function (r) { return r.month; }) },
      yAxis: { type: "value" },
      series: [
        { type: "bar", name: "新增", data: data.flows.map(function (r) { return r.inflow; }) },
        { type: "bar", name: "退出", data: data.flows.map(function (r) { return r.outflow; }) }
      ]
    });
  }

  function drawMap(data) {
    var el = document.getElementById("map");
    var file = data.region.map_file;
    if (!el || !file) { return; }
    loadScript(file.url).then(function () {
      return file.name;
    }).then(function (mapName) {
      var byId = {};
      data.children.forEach(function (child) {
        child.map_ids.forEach(function (id) { byId[id] = child; });
      });
      var geo = echarts.getMap(mapName).geoJSON || echarts.getMap(mapName).geoJson;
      var names = {};
      var rows = [];
      (geo.features || []).forEach(function (f) {
        var child = byId[String(f.id)];
        if (child) {
          names[f.properties.name] = child;
          rows.push({ name: f.properties.name, value: child.value });
        }
      });
      var max = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
      var c = echarts.init(el);
      c.setOption({
        tooltip: { trigger: "item", formatter: function (p) {
          var child = names[p.name];
          return (child ? child.name : p.name) + "：" +
            (child ? child.value + " " + data.figure.unit : "无数据");
        } },
        visualMap: { min: 0, max: max, left: "left", bottom: 10, text: ["高", "低"], calculable: true,
                     inRange: { color: ["#e0f3f8", "#4575b4"] } },
        series: [{ type: "map", map: mapName, name: data.figure.label, data: rows,
                   label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } } }]
      });
      c.on("click", function (p) {
        var child = names[p.name];
        if (child) { window.location.href = child.url + "&month=" + data.month + "&figure=" + data.figure.key; }
      });
      el.setAttribute("data-ready", "1");
    }).catch(function () {
      el.textContent = "地图数据加载失败。";
    });
  }

  fetch(holder.getAttribute("data-url"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      drawCategories(data);
      drawFlows(data);
      drawMap(data);
    });
})();
