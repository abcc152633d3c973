#!/usr/bin/env python3
"""Writes the benchmark's input: an order of 100 items, deterministic."""
import json, sys
cats = ["tools", "garden", "kitchen", "toys"]
items = [{"sku": "SKU-%04d" % i, "category": cats[i % 4], "price": round(5 + (i * 37 % 100) + 0.25 * (i % 4), 2),
          "quantity": 1 + i % 5, "tags": ["t%d" % (i % 3), "t%d" % (i % 7)]} for i in range(100)]
order = {"order": {"id": "ORD-1", "express": True,
                   "customer": {"name": "Ada Lovelace", "address": {"city": "London", "zip": "N1"}},
                   "items": items}}
json.dump(order, open(sys.argv[1], "w"))
