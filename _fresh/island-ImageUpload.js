import{a as e}from"./chunk-RWKLILGW.js";import"./chunk-SIKPQ4LI.js";import"./chunk-W2TLCAHI.js";import"./chunk-E7LDSCYE.js";import"./chunk-5TBO732O.js";export{e as default};
