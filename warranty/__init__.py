"""The franchise side of after-sales (厂家索赔与三包): the manufacturer's recalls and service
campaigns with their VINs, the warranty claims made from warranty-paid work, the old parts
kept for the manufacturer, and the three-guarantee (三包) watch on family cars.

A floor beside the diary and the inspection: above the work orders, below after-sales care.
"""
