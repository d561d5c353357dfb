import{a}from"./chunk-AMPN4QSC.js";import"./chunk-PS7YG7EM.js";import"./chunk-GJM3XLVX.js";import"./chunk-Y2RR6JTD.js";export{a as default};
