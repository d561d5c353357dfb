import{a as e}from"./chunk-JC7UN2B3.js";import"./chunk-PN6RMJPX.js";import"./chunk-PS7YG7EM.js";import"./chunk-GJM3XLVX.js";import"./chunk-Y2RR6JTD.js";export{e as default};
